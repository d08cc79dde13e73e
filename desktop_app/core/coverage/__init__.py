"""Armed response coverage: the engine, the measures and weighted quantiles, costs and workforce."""
