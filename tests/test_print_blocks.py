"""Wide tables print in blocks of columns, pages across (docs/summary-workbook.md#printing).

Hand-worked on A4 landscape: the printable width is (29.7 - 2.54) cm x 37.8 px/cm =
1026.65 px, of which 95% (975.32 px) is used at 100%; at s% the columns may be
975.32 x 100 / s px wide. A column of w characters is 7w + 5 px (Excel's rule), so a
13-character column is 96 px, and key columns of 10 and 20 characters are 75 + 145 = 220 px.
"""

from __future__ import annotations

import pytest

from desktop_app.core.export.print_blocks import _pack, budget_px, plan_blocks


def test_budget_is_the_page_at_95_percent_divided_by_the_scale() -> None:
    assert budget_px(100) == pytest.approx(975.3156)
    assert budget_px(90) == pytest.approx(975.3156 / 0.9)


def test_groups_stay_on_one_page_where_they_fit() -> None:
    px = {c: 100.0 for c in range(3, 9)}
    # [3,4] = 200 fits; [5,6,7] = 300 fits a page but not beside it; [8] = 100 not beside that
    assert _pack([[3, 4], [5, 6, 7], [8]], px, 300.0) == [[3, 4], [5, 6, 7], [8]]
    # a group wider than a page is split column by column
    assert _pack([[3, 4, 5, 6]], px, 250.0) == [[3, 4], [5, 6]]


def test_fewest_pages_across_at_the_largest_scale_that_gives_them() -> None:
    widths = {1: 10.0, 2: 20.0, **{c: 13.0 for c in range(3, 13)}}
    plan = plan_blocks(widths, 1, 12, 2)
    # room at 100%: 975.32 - 220 = 755.32 px: 7 columns of 96 (672), not 8 (768); 10 columns -> 7 + 3
    assert plan.scale == 100
    assert plan.blocks == ((3, 4, 5, 6, 7, 8, 9), (10, 11, 12))
    assert plan.breaks == [9]  # OOXML colBreaks: left of zero-based column 9, i.e. after column I
    assert plan.block_px(0) == pytest.approx(220 + 7 * 96)

    widths = {1: 10.0, 2: 20.0, **{c: 13.0 for c in range(3, 19)}}
    plan = plan_blocks(widths, 1, 18, 2)
    # 16 columns: at 100% 7 + 7 + 2 (3 pages); at 90% room 863.7 takes 8 + 8 (2 pages). The
    # largest scale for 8 a page needs room >= 768: 975.32 x 100 / s - 220 >= 768, s <= 98.7
    assert plan.scale == 98 and len(plan.blocks) == 2
    assert budget_px(99) - 220 < 768 <= budget_px(98) - 220


def test_spare_room_goes_to_the_tallest_header_then_to_the_text() -> None:
    widths = {1: 10.0, 2: 20.0, 3: 40.0, 4: 13.0, 5: 13.0}

    def lines(col: int, width: float) -> int:
        return 4 if col == 5 and width < 20 else 2  # column 5's header: 4 lines under 20 characters

    plan = plan_blocks(widths, 1, 5, 2, text_cols=[2], header_lines=lines)
    assert plan.blocks == ((3, 4, 5),) and plan.scale == 100
    # room 975.32 - 220 = 755.32 px; the block is 285 + 96 + 96 = 477: column 5 widens to 20
    # (145 px), then the text column takes the rest up to 70 characters:
    # (755.32 - 285 - 96 - 145) // 7 = 32 more, 40 + 32 = 72, capped at 70
    assert plan.widths[5] == 20.0
    assert plan.widths[3] == 70.0


def test_a_header_is_never_widened_past_the_room_left_on_its_page() -> None:
    """Widening a header a character at a time had taken one character more than the page had
    left: the sample's Robustness sheet printed 1,016 px of columns where 1,015.95 fitted."""
    widths = {1: 10.0, 2: 20.0, **{c: 13.0 for c in range(3, 9)}, 9: 24.0}

    def lines(col: int, width: float) -> int:
        return 3 if col == 3 and width < 14 else 2  # column 3's header: 3 lines under 14 characters

    plan = plan_blocks(widths, 1, 9, 2, header_lines=lines)
    # room 755.32 px; the block is 6 x 96 + 173 = 749, so 6.32 px spare: less than the 7 px
    # one more character of column 3 would take, so it stays at 13 and the page fits
    assert plan.blocks == ((3, 4, 5, 6, 7, 8, 9),) and plan.scale == 100
    assert plan.widths[3] == 13.0
    assert plan.block_px(0) <= budget_px(100)


def test_a_column_wider_than_a_page_is_narrowed_to_it() -> None:
    widths = {1: 10.0, 2: 20.0, 3: 200.0}
    plan = plan_blocks(widths, 1, 3, 2, text_cols=[2])
    assert plan.blocks == ((3,),)
    assert 7 * plan.widths[3] + 5 <= budget_px(plan.scale) - 220 + 1e-9


def test_a_group_kept_whole_at_a_slightly_smaller_scale_rather_than_split() -> None:
    # the Weights sheet under a weight set: the branch and every group's weights read together
    widths = {1: 10.0, 2: 20.0, **{c: 13.0 for c in range(3, 12)}}
    plan = plan_blocks(widths, 1, 11, 2, group_starts=[2, 10])
    # group 3-10 is 8 x 96 = 768 px: at 100% (room 755.32) it would split 7 + 1 (with 11 beside
    # the one), also 2 pages; at 98% (room 775.22) it stays whole and 11 goes to page 2
    assert plan.blocks == ((3, 4, 5, 6, 7, 8, 9, 10), (11,))
    assert plan.scale == 98


def test_a_page_start_begins_a_new_page_though_its_group_would_fit_beside_the_last() -> None:
    px = {c: 100.0 for c in range(3, 9)}
    # [3,4] = 200, then [5] = 100 fits beside it (300); [6,7] starts page 2 and [8] fits beside (300).
    # Marked as a page start, [5] begins page 2 and [6,7] fills it (100 + 200 = 300); [8] makes page 3.
    assert _pack([[3, 4], [5], [6, 7], [8]], px, 300.0) == [[3, 4, 5], [6, 7, 8]]
    assert _pack([[3, 4], [5], [6, 7], [8]], px, 300.0, new_page=[5]) == [[3, 4], [5, 6, 7], [8]]
    # through plan_blocks: offsets 2.. of 10 columns at 13 characters (96 px each) after 220 px of keys;
    # without a page start the 10 go 7 + 3 at 100% (see above); a page start at offset 4 breaks there
    widths = {1: 10.0, 2: 20.0, **{c: 13.0 for c in range(3, 13)}}
    plan = plan_blocks(widths, 1, 12, 2, group_starts=[4], page_starts=[4])
    assert plan.blocks[0] == (3, 4)
    assert plan.blocks[1][0] == 5


def test_a_wide_text_column_is_narrowed_when_that_saves_a_page_and_widened_again_to_fill_it() -> None:
    widths = {1: 10.0, 2: 20.0, 3: 70.0, **{c: 13.0 for c in range(4, 8)}}
    plan = plan_blocks(widths, 1, 7, 2, text_cols=[2])
    # as given, the block is 7 x 70 + 5 = 495 px of text and 4 x 96 = 384 of numbers, 879 px: wider
    # than the room even at 90% (975.32 / 0.9 - 220 = 863.68), so two pages. Text at 32 characters
    # (229 px) makes 613 px, one page at 100% (room 755.32); the spare (755.32 - 613) // 7 = 20
    # characters go back to the text: 32 + 20 = 52
    assert plan.blocks == ((3, 4, 5, 6, 7),) and plan.scale == 100
    assert plan.widths[3] == 52.0
    # a text column that fits as it is keeps its width (no page to save)
    plan = plan_blocks({1: 10.0, 2: 20.0, 3: 40.0, 4: 13.0}, 1, 4, 2, text_cols=[2])
    assert plan.widths[3] >= 40.0


def test_a_chart_prints_under_the_table_only_where_the_page_holds_both() -> None:
    import openpyxl

    from desktop_app.core.export.charts import fits_below

    ws = openpyxl.Workbook().active
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", "9"  # A4
    # A4 landscape prints (21.0 - 3.8) cm x 37.8 px = 650.16 px = 487.62 pt, of which 95% is 463.24;
    # 26 chart rows of 15 pt are 390, leaving 73.24 pt above: four default rows (60) fit, five (75) do not
    assert fits_below(ws, 5, 26) and not fits_below(ws, 6, 26)
    ws.row_dimensions[2].hidden = True  # a hidden row (the identifiers) takes no room
    assert fits_below(ws, 6, 26)
    ws.page_setup.paperSize = "8"  # A3 landscape: (29.7 - 3.8) x 37.8 x 0.75 x 0.95 = 697.55 pt, 307.55 above
    # the chart: rows 1-21 less the hidden one are 20 x 15 = 300 (fits), rows 1-22 are 315 (do not)
    assert fits_below(ws, 22, 26) and not fits_below(ws, 23, 26)
