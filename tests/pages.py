"""Rendered pages read back: their embedded fonts, and what their stylesheets set in bold.

Independent of :mod:`helpers.output.fonts`: the bold elements are found by applying each
bold CSS rule of the page with a CSS selector engine (soupsieve, through BeautifulSoup), not
by kpibook's list of bold tags and classes.
"""

from __future__ import annotations

import base64
import io
import re

from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_BOLD = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)\b")


def faces(page: str) -> dict[int, set[str]]:
    """The characters of each embedded @font-face font of ``page``, by weight."""
    css = "\n".join(s.get_text() for s in BeautifulSoup(page, "html.parser").find_all("style"))
    found: dict[int, set[str]] = {}
    for rule in re.findall(r"@font-face\s*\{(.*?)\}", css, re.S):
        weight = int(re.search(r"font-weight:\s*(\d+)", rule).group(1))
        data = re.search(r"base64,([A-Za-z0-9+/=]+)", rule).group(1)
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        found[weight] = {chr(code) for code in font.getBestCmap()}
    return found


def bold_selectors(page: str) -> list[str]:
    """Every selector of a rule in the page's stylesheets that sets a bold weight (rules
    inside @media included; pseudo-elements dropped, since they select no element)."""
    soup = BeautifulSoup(page, "html.parser")
    css = "\n".join(s.get_text() for s in soup.find_all("style"))
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors = []
    for head, body in _RULE.findall(css):  # innermost blocks: an @media's head is left out
        head = head.strip()
        if head.startswith("@") or not _BOLD.search(body):
            continue
        for selector in head.split(","):
            selector = re.sub(r"::?(before|after|first-line|first-letter)\b", "", selector)
            if selector.strip():
                selectors.append(selector.strip())
    return selectors


def bold_text(page: str) -> str:
    """The text of every element a bold rule of the page selects."""
    soup = BeautifulSoup(page, "html.parser")
    for hidden in soup(["style", "script", "title"]):
        hidden.decompose()
    return "".join(el.get_text() for sel in bold_selectors(page) for el in soup.select(sel))


def unknown_bold_selectors(page: str) -> list[str]:
    """The page's bold selectors whose element is neither a tag nor a class that
    :mod:`helpers.output.fonts` knows as bold: its text could miss from the Bold face."""
    from helpers.output.fonts import BOLD_CLASSES, BOLD_TAGS

    unknown = []
    for selector in bold_selectors(page):
        last = re.sub(r"\[[^\]]*\]|:[\w-]+(\([^)]*\))?", "", selector.split()[-1])
        tag, *classes = last.split(".")
        if tag not in BOLD_TAGS and not set(classes) & BOLD_CLASSES:
            unknown.append(selector)
    return unknown
