"""Serving the registry fast and safely: what is cached and how it stays correct after every write
(cache.py, keyed on the change counters that counters.py moves), how the WSGI handler and the
page addresses skip repeated work (handlers.py, addresses.py), what a worker builds before its
first request (warm_up.py), the API's rate limits counted exactly across workers and hosts
(throttles.py), and the private folders a host keeps its caches in (folders.py).

Below the interfaces (views, API, admin) and above the models: the models never import from here.
folders.py imports nothing from Django's app registry, so that the settings may use it."""
