"""The diary as an installable web app: the manifest, the app shell the service worker caches, and the
icons (drawn here in plain Python, written into static/diary/ by `python -m ejournal.diary.pwa`)."""

from __future__ import annotations

import hashlib
import struct
import sys
import zlib
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "diary"
THEME = "#1f5fbf"
BACKGROUND = "#f6f7fb"
ICON_SIZES = (192, 512)

# What the diary pages load: the service worker keeps these so that a saved page opens offline.
SHELL_FILES = (
    "css/app.css",
    "diary/diary.css",
    "diary/diary.js",
    "js/app.js",
    "django_htmx/htmx-2.min.js",
    "diary/icon.svg",
    "diary/icon-192.png",
)


def manifest(*, start_url: str) -> dict[str, object]:
    return {
        "name": "Электронный дневник",
        "short_name": "Дневник",
        "description": "Дневник ученика: уроки, домашние задания, отметки",
        "lang": "ru",
        "start_url": start_url,
        "scope": start_url,
        "display": "standalone",
        "background_color": BACKGROUND,
        "theme_color": THEME,
        "icons": [
            {"src": static("diary/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            *(
                {"src": static(f"diary/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
                for size in ICON_SIZES
            ),
            {
                "src": static("diary/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }


def shell_urls() -> tuple[str, ...]:
    return tuple(static(name) for name in SHELL_FILES)


@lru_cache(maxsize=4)
def shell_version(urls: tuple[str, ...]) -> str:
    """Changes whenever a shell file's URL or content changes (read once per process)."""
    digest = hashlib.sha256()
    for url, name in zip(urls, SHELL_FILES, strict=True):
        digest.update(url.encode())
        found = finders.find(name)
        if found:
            digest.update(Path(str(found)).read_bytes())
    return digest.hexdigest()[:12]


# --- icons ---------------------------------------------------------------------------------------------


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _icon_pixel(x: float, y: float, *, maskable: bool) -> tuple[int, int, int, int]:
    """An open exercise book on blue: two white pages with ruled lines. x, y in 0..1."""
    blue, white, line = _rgb(THEME), (255, 255, 255), (166, 194, 236)
    # A maskable icon keeps its drawing inside the central safe circle (80 %) and fills every pixel.
    inset = 0.1 if maskable else 0.0
    if not maskable:
        radius = 0.18  # rounded corners of the blue square
        cx = min(max(x, radius), 1 - radius)
        cy = min(max(y, radius), 1 - radius)
        if (x - cx) ** 2 + (y - cy) ** 2 > radius**2:
            return (0, 0, 0, 0)
    scale = 1 - 2 * inset
    u, v = (x - inset) / scale, (y - inset) / scale
    on_page = 0.24 <= v <= 0.76 and (0.16 <= u <= 0.48 or 0.52 <= u <= 0.84)
    if on_page:
        ruled = 0.34 <= v <= 0.68 and (v - 0.34) % 0.085 < 0.03 and (0.21 <= u <= 0.43 or 0.57 <= u <= 0.79)
        return (*(line if ruled else white), 255)
    return (*blue, 255)


def icon_png(size: int, *, maskable: bool = False) -> bytes:
    """A PNG (RGBA, no dependencies) of the diary icon."""
    rows = bytearray()
    for j in range(size):
        rows.append(0)  # filter type: none
        for i in range(size):
            rows.extend(_icon_pixel((i + 0.5) / size, (j + 0.5) / size, maskable=maskable))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def icon_svg() -> str:
    lines = "".join(
        f'<rect x="{x}" y="{34 + 8.5 * k:g}" width="22" height="3" fill="#a6c2ec"/>' for k in range(4) for x in (21, 57)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" rx="18" fill="{THEME}"/>'
        '<rect x="16" y="24" width="32" height="52" fill="#fff"/>'
        '<rect x="52" y="24" width="32" height="52" fill="#fff"/>'
        f"{lines}</svg>\n"
    )


def icon_files() -> dict[str, bytes]:
    """File name in static/diary/ → content."""
    files = {f"icon-{size}.png": icon_png(size) for size in ICON_SIZES}
    files["icon-maskable-512.png"] = icon_png(512, maskable=True)
    files["icon.svg"] = icon_svg().encode()
    return files


def write_icons(folder: Path = STATIC_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in icon_files().items():
        path = folder / name
        path.write_bytes(content)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_icons():
        sys.stdout.write(f"{path}\n")
