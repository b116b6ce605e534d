"""What a page runs and measures: one module per demonstration, named by what it shows.

- ``word_order``        18-1: a bag of words forgets order; a feed-forward net has no memory;
- ``memory_span``       18-2: how far back an untrained RNN's state still remembers;
- ``hello_sentence``    18-3: the character model on one short sentence, small enough to watch;
- ``gradients_through_time``  18-3: how the gradient fades going back along the states;
- ``cell_comparison``   18-3: a plain RNN next to a GRU on the same Shakespeare and budget;
- ``ngram_baselines``   18-3: what memory buys, next to counting models without a state;
- ``hidden_units``      18-3: which hidden units of the trained model track what;
- ``mnist_training``    Lab 03: training and comparing the MNIST classifiers.
"""
