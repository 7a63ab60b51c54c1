"""Nothing large goes out uncompressed: pages, CSS, JS and the scanner's WebAssembly decoder."""

import gzip
import json
import re
from pathlib import Path

import brotli
import pytest

from eventmate.compression import MIMETYPES

STATIC = Path(__file__).resolve().parents[2] / "static"
DECODER = "vendor/zxing-wasm/dist/reader/zxing_reader.wasm"
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


def shell_version(client) -> str:
    source = client.get("/service-worker.js").get_data(as_text=True)
    return re.search(r'const VERSION = "([0-9a-f]{12})";', source).group(1)


@pytest.mark.parametrize("encoding", ["br", "gzip"])
@pytest.mark.parametrize("name", ["css/app.css", "js/sync.js", DECODER])
def test_static_files_go_out_compressed_and_cached_for_a_year(client, name, encoding):
    url = f"/static/v/{shell_version(client)}/{name}"

    response = client.get(url, headers={"Accept-Encoding": encoding})

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert DECODE[encoding](response.get_data()) == (STATIC / name).read_bytes()
    assert len(response.get_data()) < 0.6 * (STATIC / name).stat().st_size
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]


def test_the_decoder_is_sent_as_webassembly_which_is_compressed():
    assert "application/wasm" in MIMETYPES


def test_pages_and_json_go_out_compressed(client, ana):
    page = ana.get("/contacts/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert "<h1>People</h1>" in gzip.decompress(page.get_data()).decode()

    manifest = client.get("/manifest.webmanifest", headers={"Accept-Encoding": "br"})
    assert manifest.headers["Content-Encoding"] == "br"
    assert json.loads(brotli.decompress(manifest.get_data()))["name"] == "EventMate"


def test_a_client_that_accepts_no_compression_gets_plain_bytes(client):
    name = "css/app.css"
    response = client.get(f"/static/v/{shell_version(client)}/{name}")
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (STATIC / name).read_bytes()
