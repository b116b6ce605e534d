"""Each page as a notebook made for students (download, Binder, Colab).

``student`` writes them (``python -m booktools.notebooks``, which Binder's postBuild
runs), ``plain_markdown`` turns MyST into the Markdown Jupyter and Colab render, and
``book_index`` resolves a page's cross-references from the book's sources.
"""
