"""The plan maths: pure Python, no Django, no sentences people read, no SVG.

Selectors load rows into the frozen dataclasses of `types`; these modules compute on them;
presenters word the results. Every module here is tested without a database.
"""
