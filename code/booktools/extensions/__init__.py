"""The book's Sphinx extensions: each registered in _config.yml (``extra_extensions``).

Execution and editions: ``shared_execution`` (each page executed once for both
editions), ``edition_pages``, ``edition_numbers``, ``edition_navigation``,
``interface_language``, ``search_words``, ``glossary_anchors``. What each page
carries: ``site_head``, ``site_notebooks`` (the student notebook of every page),
``model_export`` and ``page_widgets`` (the in-page widgets' files), ``chart_images``,
``accessible_html``. And ``failed_builds``: a failed build stays failed.
"""
