"""Consultation beyond the room: swing-weight survey forms and their collection (docs/survey.md).

``design`` holds what a form asks (built from the value model); ``swing_text`` says each
swing in its units; ``form_writer`` writes the fillable, protected Excel form;
``form_reader`` and ``answers`` read a returned form back and check it; ``weights`` turns
answers into normalised weights and a group's spread; ``robustness`` is SMAA-2 drawn from
a group's own respondents; ``collect`` runs a collection and ``results_writer`` /
``results_reader`` write and re-read the results workbook.
"""
