"""What draws and shows: charts, the page's words and numbers, the in-page stepper.

- ``chart``: a chart drawn in the reader's language (SVG, text as text);
- ``plots``: the data charts of 18-1, 18-2 and Lab 03; ``training_plots``: 18-3's
  charts of training through time, gates and memory baselines;
- ``language``: words in the page's language (``Text``, ``show``), for printed labels
  and the labs' feedback;
- ``glue``: a page's measured numbers, into the book (myst-nb) or printed (a notebook);
- ``stepper``: 18-3's tiny model handed to the page's JavaScript stepper.
"""
