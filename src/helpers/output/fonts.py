"""Chinese fonts for the HTML and PDF report, from pip packages only.

No system CJK font is assumed (the charts' font is :mod:`helpers.document.fonts`). Pages get
``@font-face`` rules whose fonts are data URIs: subsets of the variable Noto Sans SC of
``justmytype-intl-cjk``, instanced to real static Regular (400) and Bold (700) fonts,
because browsers fake a bold from a variable font's default instance badly. The Regular
face holds every character of the page; the Bold face only those of the elements the page's
stylesheets set in bold (:data:`BOLD_TAGS`, :data:`BOLD_CLASSES`), about half as many.
:func:`static_font_files` gives Typst the same two faces whole.

Subsetting the 17 MB variable font costs ~1.5–2 s, so results are cached: in memory, on
disk (keyed by the character sets), and a batch's forkserver can :func:`preload` the union of all
its reports' characters once so that forked children only cut small subsets from it
(~40 ms a page). Not thread-safe: call it from one thread per process.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import re
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

from ..base import cache
from ..base.resources import package_version
from ..document.fonts import FAMILY, pip_font
from ..errors import FontError

__all__ = [
    "BOLD_CLASSES",
    "BOLD_TAGS",
    "FAMILY",
    "FONT_FACE_MARK",
    "WEIGHTS",
    "bold_text",
    "charset",
    "embed_fonts",
    "font_face_css",
    "preload",
]

WEIGHTS = (400, 700)
"""The static weights cut from the variable font: Regular and Bold."""

_FORMAT = "1"  # bump when the fonts or CSS this module makes change
_MEMORY_CSS_ENTRIES = 16

# Always in the subset, whatever the text: ASCII, CJK and full-width punctuation, and the
# signs a progress report writes (℃, ‰, №, circled numbers, arrows, ±×÷≤≥).
_ALWAYS = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0x3000, 0x3020)]
    + [chr(c) for c in range(0xFF01, 0xFF5F)]
    + [chr(c) for c in range(0x2460, 0x2474)]
    + list("‐‑–—―‖‘’“”•…‰′″※℃№ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ←↑→↓−±×÷≈≠≤≥·°")
)

#: Elements that kpibook's stylesheets (the page template's report.css, the tables', the
#: district's and the index's own) set in bold, by tag and by class: the Bold face holds the
#: characters of their text. A style that makes something else bold must be added here
#: (tests/test_fonts.py reads every bold rule of the shipped pages and checks it).
BOLD_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "th", "caption", "dt"})
BOLD_CLASSES = frozenset({"ansi-bold", "kpi-status", "ok", "failed", "kb-first", "kb-label"})

#: A base64 data URI (the page's PNG charts): only ASCII, all of it in every subset anyway,
#: and most of a page's characters, so the character sets are read without them.
_BASE64_URI = re.compile(r"data:[A-Za-z0-9/+.-]+;base64,[A-Za-z0-9+/=]+")

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


# ---------------------------------------------------------------------------------------------
# @font-face for pages

#: A page's @font-face CSS by its characters (all, bold), the last few in this process.
_CSS: cache.Memo[tuple[frozenset[str], frozenset[str]], str] = cache.Memo(_MEMORY_CSS_ENTRIES)
_BASES: list[tuple[frozenset[str], dict[int, bytes]]] = []  # preloaded static TTFs


def charset(text: str) -> frozenset[str]:
    """The characters a page needs: those of ``text`` (no control characters) plus the
    ASCII and CJK punctuation that are always included."""
    distinct = set(text)  # first, at C speed: a page is ~1 MB of mostly ASCII
    return _ALWAYS | frozenset(
        ch
        for ch in distinct
        if ch >= " " and not ("\x7f" <= ch <= "\x9f") and not ("\ud800" <= ch <= "\udfff")
    )


class _BoldText(HTMLParser):
    """Collects the text inside bold elements (a stack of open elements, so that an end tag
    the page leaves out closes what it should)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        inherited = bool(self.open) and self.open[-1][1]
        self.open.append((tag, inherited or tag in BOLD_TAGS or bool(classes & BOLD_CLASSES)))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1][1]:
            self.text.append(data)


def bold_text(page: str) -> str:
    """The text of the elements of an HTML page (or fragment) that are set in bold."""
    parser = _BoldText()
    parser.feed(page)
    parser.close()
    return "".join(parser.text)


#: Where a page's template wants its ``@font-face`` rules (a CSS comment, harmless if left).
FONT_FACE_MARK = "/*KPIBOOK_FONT_FACE*/"


def embed_fonts(page: str) -> str:
    """``page`` with its :data:`FONT_FACE_MARK` replaced by the rules :func:`font_face_css`
    makes for it."""
    return page.replace(FONT_FACE_MARK, font_face_css(page), 1)


def font_face_css(page: str) -> str:
    """``@font-face`` rules for :data:`FAMILY` at weights 400 and 700 for the HTML ``page``,
    each a WOFF data URI: the Regular with every character of the page, the Bold with those
    of its bold elements (plus, in both, ASCII and CJK punctuation).

    Cached in memory and on disk by character sets; cut from a :func:`preload`-ed font when
    one covers the page (~40 ms), else from the variable font (~1.5–2 s).
    """
    text = _BASE64_URI.sub("", page)  # 0.5 ms; then reading a tenth of the page
    wanted = {400: charset(html.unescape(text)), 700: charset(bold_text(text))}
    chars = (wanted[400], wanted[700])
    css = _CSS.get(chars)
    if css is not None:
        return css
    key = _key("css", chars[0], chars[1])
    cached = cache.read("fonts", f"{key}.css")
    if cached is not None:
        css = cached.decode("utf-8")
    else:
        covering = _covering_base(chars[0] | chars[1])
        if covering is not None:
            woffs = {w: _subset_static(covering[w], wanted[w]) for w in WEIGHTS}
        else:
            static = _static_fonts(chars[0] | chars[1])
            woffs = {w: _subset_static(static[w], wanted[w]) for w in WEIGHTS}
        css = _css(woffs)
        cache.write("fonts", f"{key}.css", css.encode("utf-8"))
    return _CSS.put(chars, css)


def preload(text: str) -> None:
    """Prepare static fonts covering every character of ``text`` (the union of a batch).

    A batch's forkserver calls this once before forking: each child's :func:`font_face_css` then
    cuts its subsets from these instead of from the variable font. The fonts are also kept
    on disk, so preloading the same union again is a file read.
    """
    chars = charset(text)
    if any(chars <= have for have, _ in _BASES):
        return
    key = _key("base", chars)
    fonts: dict[int, bytes] = {}
    for weight in WEIGHTS:
        data = cache.read("fonts", f"{key}-{weight}.ttf")
        if data is None:
            break
        fonts[weight] = data
    if len(fonts) != len(WEIGHTS):
        fonts = _static_fonts(chars)
        for weight, data in fonts.items():
            cache.write("fonts", f"{key}-{weight}.ttf", data)
    _BASES.append((chars, fonts))


def _covering_base(chars: frozenset[str]) -> dict[int, bytes] | None:
    """The smallest preloaded font set that has every character of ``chars``."""
    covering = [(len(have), fonts) for have, fonts in _BASES if chars <= have]
    return min(covering, key=lambda pair: pair[0])[1] if covering else None


def _css(woffs: dict[int, bytes]) -> str:
    rules = []
    for weight, data in sorted(woffs.items()):
        uri = "data:font/woff;base64," + base64.b64encode(data).decode("ascii")
        rules.append(
            "@font-face {\n"
            f'  font-family: "{FAMILY}";\n'
            "  font-style: normal;\n"
            f"  font-weight: {weight};\n"
            "  font-display: block;\n"
            f'  src: url({uri}) format("woff");\n'
            "}\n"
        )
    return "".join(rules)


# ---------------------------------------------------------------------------------------------
# fontTools work


def _variable_font() -> Path:
    """The variable Noto Sans SC[wght] shipped by justmytype-intl-cjk."""
    path = Path(
        str(files("justmytype_intl_cjk") / "fonts" / "ofl" / "notosanssc" / "NotoSansSC[wght].ttf")
    )
    if not path.is_file():
        raise FontError(f"NotoSansSC[wght].ttf not found in justmytype-intl-cjk: {path}")
    return path


_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "BASE")


def _subset_options():  # -> fontTools.subset.Options
    from fontTools import subset

    options = subset.Options()
    # Chinese set horizontally needs no OpenType layout; dropping GSUB/GPOS makes the
    # subset ~2x faster and smaller (only Latin kerning is lost).
    options.layout_features = []
    options.drop_tables += list(_LAYOUT_TABLES)
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14]  # keep copyright+licence
    options.name_languages = [0x409]
    return options


def _static_fonts(chars: frozenset[str]) -> dict[int, bytes]:
    """Static TrueType fonts (weight -> bytes) with the glyphs of ``chars``, cut from the
    variable font: one subset of the variable font, then one instance per weight."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    path = _variable_font()
    try:
        with TTFont(str(path), lazy=True, recalcBBoxes=False) as font:
            for tag in _LAYOUT_TABLES:  # before subsetting, or it decompiles them first
                if tag in font:
                    del font[tag]
            subsetter = subset.Subsetter(_subset_options())
            subsetter.populate(text="".join(sorted(chars)))
            subsetter.subset(font)
            variable = _save(font)
    except OSError as exc:
        raise FontError(f"cannot read {path}: {exc}") from exc
    result = {}
    for weight in WEIGHTS:
        instance = TTFont(io.BytesIO(variable))
        instancer.instantiateVariableFont(instance, {"wght": weight}, inplace=True)
        _name_static(instance, weight)
        result[weight] = _save(instance)
    return result


def _name_static(font, weight: int) -> None:
    """Give an instance the names and flags of a static Regular or Bold face."""
    style = "Bold" if weight >= 700 else "Regular"
    name = font["name"]
    for name_id in (1, 2, 3, 4, 6, 16, 17, 25):
        name.removeNames(nameID=name_id)
    postscript = FAMILY.replace(" ", "") + "-" + style
    for name_id, value in (
        (1, FAMILY),
        (2, style),
        (3, f"{postscript};kpibook"),
        (4, f"{FAMILY} {style}"),
        (6, postscript),
    ):
        name.setName(value, name_id, 3, 1, 0x409)
    os2 = font["OS/2"]
    os2.usWeightClass = weight
    bold = weight >= 700
    os2.fsSelection = (os2.fsSelection & ~0b1100001) | (0b100000 if bold else 0b1000000)
    font["head"].macStyle = 1 if bold else 0


def _subset_static(ttf: bytes, chars: frozenset[str]) -> bytes:
    """A WOFF subset of a static font (already-correct glyph boxes are not recomputed)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(ttf), lazy=True, recalcBBoxes=False)
    subsetter = subset.Subsetter(_subset_options())
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    font.flavor = "woff"
    return _save(font)


def _save(font) -> bytes:
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# disk cache


def _key(kind: str, *charsets: frozenset[str]) -> str:
    """A file-name key for character sets, changing whenever the fonts or tools change."""
    versions = ";".join(package_version(p) for p in ("justmytype-intl-cjk", "fonttools"))
    digest = hashlib.sha256(
        f"{_FORMAT};{versions};{kind};".encode()
        + "\x00".join("".join(sorted(c)) for c in charsets).encode("utf-8", "surrogatepass")
    ).hexdigest()
    return f"{kind}-{digest[:40]}"


# ---------------------------------------------------------------------------------------------
# whole static fonts, for PDF engines that cut their own subsets (Typst)

_WHOLE: dict[int, Path] = {}  # weight -> file, in this process
_TEMP: list[tuple[int, Path]] = []  # (pid, folder) of the cache-off fallback


def static_font_files(weights: tuple[int, ...] = WEIGHTS) -> dict[int, Path]:
    """Whole static Noto Sans SC TrueType files (weight -> path), instanced from the variable
    font: a real Bold, where the variable font would be drawn at its Thin default.

    Each file lies alone in a folder of its own (``path.parent``), so that folder can be
    given to Typst as a font folder without another face of the same family and weight.
    Instancing the whole font takes ~20 s and ~10 MB per weight, so the files are kept in
    the disk cache (``static-fonts/``), made once under a file lock when several processes
    ask together. With the cache off or unwritable they go to a temporary folder of this
    process, removed when it exits.
    """
    out: dict[int, Path] = {}
    for weight in weights:
        if not 1 <= int(weight) <= 1000:
            raise FontError(f"no such font weight: {weight!r}")
        path = _WHOLE.get(int(weight))
        if path is None or not path.is_file():
            path = _whole_static(int(weight))
            _WHOLE[int(weight)] = path
        out[weight] = path
    return out


def _whole_name(weight: int) -> str:
    return FAMILY.replace(" ", "") + ("-Bold" if weight >= 700 else "-Regular") + ".ttf"


def _whole_static(weight: int) -> Path:
    """The cached file of one weight, made if missing (see :func:`static_font_files`)."""
    import logging

    from ..base.files import write_atomic

    name = _whole_name(weight)
    root = cache.cache_dir()
    data: bytes | None = None
    if root is not None:
        folder = root / "static-fonts" / _key(f"static{weight}")
        target = folder / name
        if target.is_file():
            return target
        try:
            from filelock import FileLock

            folder.mkdir(parents=True, exist_ok=True)
            with FileLock(str(folder / ".lock")):
                if not target.is_file():
                    data = _whole_instance(weight)
                    write_atomic(target, data)
            return target
        except OSError as exc:
            logging.getLogger(__name__).debug("static font not cached (%s): %s", folder, exc)
    folder = _temp_folder() / str(weight)
    target = folder / name
    if not target.is_file():
        write_atomic(target, data if data is not None else _whole_instance(weight))
    return target


def _whole_instance(weight: int) -> bytes:
    """The whole variable font pinned at ``weight``, named as a static face."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    path = _variable_font()
    try:
        font = TTFont(str(path))
        instancer.instantiateVariableFont(font, {"wght": weight}, inplace=True)
    except OSError as exc:
        raise FontError(f"cannot read {path}: {exc}") from exc
    _name_static(font, weight)
    return _save(font)


def _temp_folder() -> Path:
    """A temporary folder of this process (not of its parent), removed at exit."""
    import atexit
    import os
    import shutil
    import tempfile

    pid = os.getpid()
    for owner, folder in _TEMP:
        if owner == pid and folder.is_dir():
            return folder
    folder = Path(tempfile.mkdtemp(prefix="kpibook-fonts-"))
    _TEMP.append((pid, folder))

    def remove() -> None:
        if os.getpid() == pid:  # a forked child inherits the handler, not the folder
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return folder


# ---------------------------------------------------------------------------------------------
# the PDF's faces, whole or cut to a batch's characters

#: The faces the PDF is set in (Typst): Noto Sans SC Regular and Bold (for 黑体 headings and
#: bold runs), Noto Serif SC Regular (for 仿宋 body text).
PDF_FACES = ("NotoSansSC-Regular.otf", "NotoSerifSC-Regular.otf", _whole_name(700))


def pdf_fonts() -> list[Path]:
    """The PDF's whole faces (:data:`PDF_FACES`): the pip fonts and the cached Bold."""
    return [pip_font(PDF_FACES[0]), pip_font(PDF_FACES[1]), static_font_files((700,))[700]]


def cut_pdf_fonts(text: str) -> tuple[frozenset[str], Path]:
    """The PDF's faces cut to the characters of ``text`` (with :data:`_ALWAYS`), in a folder
    of their own: (the characters they hold, the folder).

    Typst reads a small font in a new process some 50 ms faster than a 10 MB one, and every
    report of a batch is a new process. Cutting takes ~3 s, once: the files are kept in the
    disk cache by character set (or a temporary folder of this process, the cache off).
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from ..base.files import write_atomic

    chars = charset(text)
    root = cache.cache_dir()
    folder = (root / "pdf-fonts" if root else _temp_folder()) / _key("pdf", chars)
    if all((folder / name).is_file() for name in PDF_FACES):
        return chars, folder
    options = _subset_options()
    options.layout_features = ["*"]  # Typst shapes with them (the page fonts need none)
    options.drop_tables = [t for t in options.drop_tables if t not in _LAYOUT_TABLES]
    for name, whole in zip(PDF_FACES, pdf_fonts()):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with TTFont(str(whole), lazy=True, recalcBBoxes=False) as font:
                subsetter = subset.Subsetter(options)
                subsetter.populate(text="".join(sorted(chars)))
                subsetter.subset(font)
                write_atomic(folder / name, _save(font))
        except OSError as exc:
            raise FontError(f"cannot cut {whole} into {folder}: {exc}") from exc
    return chars, folder


__all__ += ["PDF_FACES", "cut_pdf_fonts", "pdf_fonts", "static_font_files"]
