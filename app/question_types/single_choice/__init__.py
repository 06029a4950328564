"""The single_choice question type as a plug-in (see app/question_types/__init__.py)."""
