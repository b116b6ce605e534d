"""The recurrent network itself: section 18-2's equations and the cells built from them.

- ``equations``: s_t = f(U x_t + W s_{t-1} + b), o_t = softmax(V s_t + c) in NumPy,
  unrolled over time, and the same network as a Keras ``SimpleRNN``;
- ``cell``: Lab 03's hand-written Keras cell, which trains whatever step function
  the student writes;
- ``gru``: the GRU step of 18-3's character model in NumPy, the one reference that
  Keras' GRU layer, the cell comparison and the browser's ``gru.js`` are tested against.
"""
