"""Interview Q&A: collect every chapter's "Interview Talking Points" and publish them as a study section.

``collect`` parses Markdown sources (syntax only), ``render`` makes the generated pages and the CSV,
``plugin`` connects both to MkDocs events.
"""
