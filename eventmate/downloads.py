"""Files the app hands to the phone to keep (a vCard), named after the person."""

from flask import Response


def vcard_download(vcard: str, name: str) -> Response:
    """A .vcf the phone offers to add to its contacts; never cached (it holds personal data)."""
    filename = "".join(ch for ch in name if ch.isalnum() or ch in " -_").strip() or "contact"
    return Response(
        vcard,
        mimetype="text/vcard",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}.vcf"',
            "Cache-Control": "no-store",
        },
    )
