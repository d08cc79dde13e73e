"""The one palette of options and criteria, for the app's charts and the summary's alike.

One option is one colour wherever it is drawn: the app (``desktop_app/ui/palette.py``
re-exports these for its Qt views) and the summary workbook's native charts
(:mod:`desktop_app.core.export.charts`) both take option ``i``'s colour from
:func:`option_colour` and criterion colours from :func:`criterion_colours`
(docs/user-guide.md#colours, docs/summary-workbook.md#charts). Qt-free, so the core
can draw with it. Map bands have their own home, :mod:`desktop_app.core.geography.bands`.

Options are drawn in the Okabe-Ito palette (Okabe & Ito 2008), the de-facto standard
for categorical colours readable by people with any common colour-vision deficiency,
darkened where needed so that every option colour is at least 3:1 against white and
the app's grey panel (WCAG 2.2 success criterion 1.4.11, non-text contrast): its yellow
and sky blue cannot be, so yellow becomes olive and sky blue gives way to a dark purple.
Past eight options the colours repeat and the marker and line dash change, so no two
options share all three.
"""

from __future__ import annotations

#: The option colours in the order options are assigned: Okabe-Ito darkened to 3:1 on
#: white and on the app's panel grey, black kept, no yellow.
OPTION_COLOURS: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermilion
    "#00966D",  # bluish green (Okabe-Ito #009E73, darkened)
    "#B07A00",  # ochre (Okabe-Ito orange #E69F00, darkened)
    "#C4659A",  # reddish purple (#CC79A7, darkened)
    "#000000",  # black
    "#5E3C99",  # dark purple (ColorBrewer PuOr), in place of sky blue
    "#8A8000",  # olive (Okabe-Ito yellow #F0E442, darkened)
)

#: Value-tree branches (docs/appraisal-method.md#value-tree): one hue per branch, four
#: shades within it. Every shade is 3:1 or more on white (WCAG non-text contrast:
#: 11:1, 7.2:1, 4.9:1 and 3.3:1 from darkest to lightest), and the shades step in
#: relative luminance (about 0.045, 0.095, 0.165, 0.27), so criteria of one branch still
#: read apart in greyscale. Hues follow Okabe-Ito's blue, vermilion, bluish green,
#: reddish purple and yellow (as an olive), then a magenta, darkened to those luminances in HLS.
BRANCH_SHADES: tuple[tuple[str, str, str, str], ...] = (
    ("#083e66", "#0c5a93", "#0f74be", "#1792ec"),  # blue
    ("#662a03", "#933c04", "#bf4d05", "#ef6106"),  # vermilion
    ("#084528", "#0b643a", "#0e814a", "#12a25d"),  # green
    ("#5d206d", "#862e9d", "#ac3fc7", "#c06dd5"),  # purple
    ("#3d3e03", "#595a05", "#737506", "#919308"),  # olive
    ("#70144b", "#a11c6c", "#cf258b", "#e25cad"),  # magenta
)
#: The order a branch's criteria take its shades: mid-dark first (its hue reads best),
#: then alternating light and dark, so neighbours in a stacked bar differ most in greyscale.
SHADE_ORDER: tuple[int, int, int, int] = (1, 3, 0, 2)


def option_colour(index: int) -> str:
    """``#RRGGBB`` colour of the option at ``index`` (workbook order), repeating after eight."""
    return OPTION_COLOURS[index % len(OPTION_COLOURS)]


def option_round(index: int) -> int:
    """Which round of eight the option at ``index`` is in (0 for the first eight): the
    app and the summary change the marker and dash from round to round."""
    return index // len(OPTION_COLOURS)


def branch_colour(branch_index: int) -> str:
    """The colour that stands for a whole branch (its first criterion's shade)."""
    return BRANCH_SHADES[branch_index % len(BRANCH_SHADES)][SHADE_ORDER[0]]


def criterion_colours(groups: list[str], branch_order: list[str] | None = None) -> list[str]:
    """Colour of each criterion, given each one's branch ("" when there is no value tree).

    Criteria of one branch share its hue, in :data:`SHADE_ORDER`; branches take hues in
    ``branch_order`` (the CriteriaGroups sheet's, as :func:`branch_colour` numbers the
    branches' own swatches), then in the order they first appear. Numbered by first
    appearance alone, the revised sample (C6 of Workforce listed before C7 of Community)
    had drawn Community's swatch green and its criterion purple. A fifth criterion of a
    branch starts the shades again. Without a value tree every criterion is its own
    branch, so flat criteria get six hues before any repeats.
    """
    if not any(groups):
        n = len(BRANCH_SHADES)
        return [BRANCH_SHADES[i % n][SHADE_ORDER[(i // n) % 4]] for i in range(len(groups))]
    order: dict[str, int] = {g: i for i, g in enumerate(dict.fromkeys(branch_order or []))}
    seen: dict[str, int] = {}
    out = []
    for g in groups:
        b = order.setdefault(g, len(order))
        k = seen.get(g, 0)
        seen[g] = k + 1
        out.append(BRANCH_SHADES[b % len(BRANCH_SHADES)][SHADE_ORDER[k % 4]])
    return out


def hex6(colour: str) -> str:
    """``#rrggbb`` as Excel's ``RRGGBB`` (the summary's charts and cells)."""
    return colour.lstrip("#").upper()


def relative_luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour, ``#rrggbb`` or ``rrggbb``."""
    h = colour.lstrip("#")
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str = "#ffffff") -> float:
    """WCAG 2.2 contrast ratio of two colours (1 to 21); ``b`` defaults to white."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
