"""Fixtures for the PWA browser tests: a phone whose camera sees a picture; the live server
with a push service of its own."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count

import pytest
from PIL import Image
from playwright.sync_api import Page

from eventmate.push.vapid import vapid_keys

from ...push_service import PushService, new_vapid_private_key
from .video import write_y4m

FAKE_CAMERA = ("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream")


@pytest.fixture
def camera_phone(launch_chromium, new_phone, tmp_path) -> Callable:
    """`with camera_phone(image, **options) as page:` a tab on a phone whose camera films
    `image` (a PIL image, fitted into a 640×480 clip, or `clip_size`). The clip is a Chromium
    launch flag, so each call starts its own Chromium and closes it at the end of the `with`
    block. Options go to the browser context, e.g. `storage_state=` to arrive logged in."""
    numbers = count(1)

    @contextmanager
    def open_phone(
        image: Image.Image, clip_size: tuple[int, int] = (640, 480), **options
    ) -> Iterator[Page]:
        clip = write_y4m(image, tmp_path / f"camera-{next(numbers)}.y4m", size=clip_size)
        browser = launch_chromium([*FAKE_CAMERA, f"--use-file-for-fake-video-capture={clip}"])
        try:
            context = new_phone(browser=browser, permissions=["camera"], **options)
            yield context.new_page()
        finally:
            browser.close()
            clip.unlink()

    return open_phone


@pytest.fixture
def push_live(live_server):
    """The live server with its own VAPID key and loopback push endpoints allowed
    (what EVENTMATE_PUSH_ALLOW_LOOPBACK=1 does), restored afterwards."""
    app = live_server.app
    saved = {name: app.config.get(name) for name in ("VAPID_PRIVATE_KEY", "PUSH_ALLOW_LOOPBACK")}
    app.config.update(VAPID_PRIVATE_KEY=new_vapid_private_key(), PUSH_ALLOW_LOOPBACK=True)
    app.extensions.pop("eventmate_vapid", None)
    with PushService(vapid_keys(app).public_key) as service:
        yield live_server, service
    app.config.update(saved)
    app.extensions.pop("eventmate_vapid", None)
