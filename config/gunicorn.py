"""gunicorn settings (`make serve-prod`): BIND, WEB_CONCURRENCY and GUNICORN_THREADS override."""

import gc
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 20
# Recycle workers now and then so that a slow leak never grows unbounded.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Build what each worker keeps (the names' orders, the reconciliation index, today's states of
    each process) before it takes requests, rather than on a visitor's first one: see
    registry/serving/warm_up.py."""
    from registry.serving.warm_up import warm_up

    warm_up()
    # What the worker has built so far lives as long as it does: out of the garbage collector's
    # sight, a full collection no longer walks it. At 100 times the data that is 350,000 objects
    # and 0.12-0.15 s a collection, a pause that landed on whichever requests were waiting.
    gc.freeze()
