"""The chapter's diagrams: described (``diagrams``), drawn (``drawing``), written (``writer``).

``python -m booktools.figures`` (``make figures``) writes every diagram to figures/
as byte-reproducible SVG; ``figure_text`` measures how large figure text is on screen.
"""
