"""The cached runs of the analysis pages (one module per page: ``dynamics``, ``spatial`` …).

Each module holds the ``st.cache_data`` functions of one page, keyed on the index run's
:class:`nqpf.app.state.IndexKey` and the page's options (hashable tuples), with the file's
bytes passed as an unhashed ``_data`` argument, as :mod:`nqpf.app.state` does for the index,
the echelons and the Dagum decomposition. No statistics: every number comes from the nqpf API.
"""
