"""Pictures as fake-camera clips: Chromium plays a Y4M file in a loop when started with
`--use-file-for-fake-video-capture=<file>`, so a test can hold a QR code up to the camera."""

from pathlib import Path

from PIL import Image

WIDTH, HEIGHT = 640, 480


def fit_frame(image: Image.Image, width: int = WIDTH, height: int = HEIGHT) -> Image.Image:
    """The picture scaled to fit the frame, keeping its aspect ratio, centred on white.

    Small pictures are enlarged with NEAREST so a QR code's modules keep sharp edges.
    """
    image = image.convert("RGB")
    scale = min(width / image.width, height / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    resample = Image.Resampling.NEAREST if scale >= 1 else Image.Resampling.LANCZOS
    frame = Image.new("RGB", (width, height), "white")
    frame.paste(image.resize(size, resample), ((width - size[0]) // 2, (height - size[1]) // 2))
    return frame


def _video_range(plane: Image.Image, low: int, span: int) -> bytes:
    # Pillow's YCbCr is full range (JPEG); cameras and Chromium's capture use video range.
    return plane.point(lambda value: low + value * span // 255).tobytes()


def frame_bytes(frame: Image.Image) -> bytes:
    """One 4:2:0 frame: the Y plane at full size, then Cb and Cr at half width and height."""
    y, cb, cr = frame.convert("YCbCr").split()
    half = (frame.width // 2, frame.height // 2)
    chroma = [plane.resize(half, Image.Resampling.BOX) for plane in (cb, cr)]
    return b"".join([_video_range(y, 16, 219), *(_video_range(plane, 16, 224) for plane in chroma)])


def write_y4m(
    image: Image.Image, path: Path, frames: int = 3, size: tuple[int, int] = (WIDTH, HEIGHT)
) -> Path:
    """Write `image`, fitted into `size` (640×480 unless asked), as a clip of `frames`
    identical frames."""
    width, height = size
    frame = frame_bytes(fit_frame(image, width, height))
    with path.open("wb") as clip:
        clip.write(f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for _ in range(frames):
            clip.write(b"FRAME\n")
            clip.write(frame)
    return path
