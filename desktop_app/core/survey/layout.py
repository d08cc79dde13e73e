"""Where every answer cell of a form is: one pure function both the writer and the reader use.

docs/survey.md#the-form. Computing the layout from the design (rather than storing cell
addresses in the form) means a returned form is read exactly where it was written, and
every problem line can name the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.core.survey.design import SurveyDesign

FORM_SHEET = "Form"
JUDGEMENT_SHEET = "Judgements"
INSTRUCTIONS_SHEET = "Instructions"
DATA_SHEET = "FormData"

#: Columns of the Form sheet's swing tables (1-based).
COL_ID, COL_LABEL, COL_SWING, COL_RANK, COL_POINTS, COL_REASON = 1, 2, 3, 4, 5, 6
#: Columns of the Judgements sheet.
J_CRIT, J_CRIT_NAME, J_OPTION, J_OPTION_NAME, J_WORKSHOP, J_SCORE, J_REASON = 1, 2, 3, 4, 5, 6, 7
CODE_ROW, GROUP_ROW = 6, 7
ANSWER_COL = 3
J_FIRST_ROW = 6
#: Rows of the FormData sheet: form version, workbook SHA-256, design SHA-256, chunk count; JSON from DATA_FIRST_ROW.
DATA_VERSION_ROW, DATA_SHA_ROW, DATA_DIGEST_ROW, DATA_CHUNKS_ROW, DATA_FIRST_ROW = 1, 2, 3, 4, 6
#: JSON is split into cells of this many characters (Excel holds 32,767 in one cell).
CHUNK_CHARS = 30_000


@dataclass
class BlockRows:
    """One block's rows: its title row, instruction row, header row and each item's row."""

    title: int
    instruction: int
    header: int
    items: dict[str, int] = field(default_factory=dict)


@dataclass
class FormLayout:
    blocks: dict[str, BlockRows]
    last_row: int
    #: (criterion_id, option_id) -> row on the Judgements sheet.
    judgements: dict[tuple[str, str], int]


def cell_name(col: int, row: int) -> str:
    """``E12`` for column 5, row 12 (columns here never pass Z)."""
    return f"{chr(ord('A') + col - 1)}{row}"


def layout(design: SurveyDesign) -> FormLayout:
    row = GROUP_ROW + 3
    blocks: dict[str, BlockRows] = {}
    for block in design.blocks:
        if not block.asked and block.key.startswith("in:"):
            continue  # a branch of one criterion: the branches table already says its swing
        rows = BlockRows(row, row + 1, row + 2)
        r = row + 3
        for item in block.items:
            rows.items[item.key] = r
            r += 1
        blocks[block.key] = rows
        row = r + 1
    judgements: dict[tuple[str, str], int] = {}
    r = J_FIRST_ROW
    for cid in design.judgement_criteria:
        for oid in design.option_ids:
            judgements[(cid, oid)] = r
            r += 1
    return FormLayout(blocks, row, judgements)
