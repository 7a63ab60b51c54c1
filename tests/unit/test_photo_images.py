"""The image pipeline every upload goes through: upright, small, JPEG, and nothing but pixels."""

import io

import pytest
from PIL import ExifTags, Image, TiffImagePlugin

from eventmate.photos.images import (
    MAX_SIDE,
    MAX_UPLOAD_BYTES,
    PhotoError,
    read_capped,
    reencode,
)


def camera_jpeg(size=(1600, 1200), orientation=1, colour="red") -> bytes:
    """A JPEG as a phone saves it: EXIF with a GPS position, the camera and an orientation."""
    image = Image.new("RGB", size, colour)
    image.paste("blue", (0, 0, size[0] // 4, size[1] // 4))  # a corner to tell rotations apart
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 15"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.DateTime] = "2026:11:23 10:05:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = tuple(TiffImagePlugin.IFDRational(v) for v in (38, 42, 49))
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = tuple(TiffImagePlugin.IFDRational(v) for v in (9, 8, 21))
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken at DevConf")
    return out.getvalue()


def opened(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg))
    image.load()
    return image


def test_the_camera_file_really_carries_a_location():
    """The test's input is what it claims: else the next test would prove nothing."""
    exif = opened(camera_jpeg()).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert exif[ExifTags.Base.Model] == "Phone 15"


def test_exif_and_location_are_gone_and_nothing_else_is_kept():
    photo = reencode(camera_jpeg())
    image = opened(photo.jpeg)
    assert image.format == "JPEG"
    assert not image.getexif()
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in image.info and "comment" not in image.info
    assert "icc_profile" not in image.info and "xmp" not in image.info
    assert b"Phone 15" not in photo.jpeg and b"GPS" not in photo.jpeg and b"Exif" not in photo.jpeg


def test_at_most_512_px_on_the_long_side_keeping_the_shape():
    assert opened(reencode(camera_jpeg((4000, 3000))).jpeg).size == (MAX_SIDE, 384)
    assert opened(reencode(camera_jpeg((300, 200))).jpeg).size == (300, 200)  # never enlarged


def test_turned_upright_by_the_orientation_tag_before_it_is_dropped():
    """Orientation 6: the camera was held upright, the pixels are stored lying on their side."""
    image = opened(reencode(camera_jpeg((1600, 1200), orientation=6)).jpeg)
    assert image.size == (384, MAX_SIDE)
    # The blue corner, top left as stored, is top right once turned 90° clockwise.
    red, blue = image.getpixel((5, 5)), image.getpixel((image.width - 5, 5))
    assert red[0] > 200 and red[2] < 60
    assert blue[2] > 200 and blue[0] < 60


def test_a_transparent_png_is_flattened_on_white():
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    assert opened(reencode(out.getvalue()).jpeg).getpixel((50, 50)) >= (250, 250, 250)


def test_the_version_names_the_bytes():
    assert reencode(camera_jpeg()).version == reencode(camera_jpeg()).version
    assert reencode(camera_jpeg()).version != reencode(camera_jpeg(colour="green")).version


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7 not a photo",
        b"BEGIN:VCARD\r\nEND:VCARD\r\n",
        b"\xff\xd8\xff\xe0 a JPEG's first bytes, then nothing",
        camera_jpeg()[:2000],  # cut off in the middle of its pixels
    ],
    ids=["pdf", "vcard", "jpeg-header-only", "truncated-jpeg"],
)
def test_what_is_not_a_readable_image_is_refused_with_415(data):
    with pytest.raises(PhotoError) as refused:
        reencode(data)
    assert refused.value.status == 415
    assert "isn't a photo" in refused.value.message


@pytest.mark.parametrize("size", [(9_000, 8_000), (10_000, 10_000), (20_000, 20_000)])
def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(size):
    """One colour: a few kB as a PNG, hundreds of MB once decoded as RGB. Past our limit; past
    Pillow's warning; past the size where Pillow itself refuses."""
    out = io.BytesIO()
    Image.new("1", size).save(out, "PNG")
    assert len(out.getvalue()) < 100_000
    with pytest.raises(PhotoError) as refused:
        reencode(out.getvalue())
    assert refused.value.status == 413
    assert "megapixels" in refused.value.message


def test_an_upload_past_the_byte_cap_is_refused_before_it_is_decoded():
    with pytest.raises(PhotoError) as refused:
        read_capped(io.BytesIO(b"\0" * (MAX_UPLOAD_BYTES + 1)))
    assert refused.value.status == 413
    assert read_capped(io.BytesIO(b"x" * MAX_UPLOAD_BYTES)) == b"x" * MAX_UPLOAD_BYTES
    with pytest.raises(PhotoError) as empty:
        read_capped(io.BytesIO(b""))
    assert empty.value.status == 400


def test_a_real_iphone_photo_loses_its_location(testdata):
    """A phone's own file (iPhone 7, 4032×3024, with GPS): small, upright and anonymous."""
    original = (testdata / "business-cards" / "photos" / "azure-rest-1.jpg").read_bytes()
    exif = opened(original).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) and exif[ExifTags.Base.Model] == "iPhone 7"
    photo = reencode(original)
    image = opened(photo.jpeg)
    assert image.size == (MAX_SIDE, 384)
    assert not image.getexif() and b"iPhone" not in photo.jpeg
    assert len(photo.jpeg) < 80_000
