"""Gunicorn settings for `make run`, and a starting point for production (behind a proxy that ends TLS).

Two processes with four threads each: enough for a demo and a small office; SQLite's writers queue behind
`BEGIN IMMEDIATE`, PostgreSQL takes them as they come. A request that hangs is ended after 60 seconds.
"""

workers = 2
threads = 4
timeout = 60
graceful_timeout = 20
accesslog = "-"  # the access log on standard output, as a container expects
errorlog = "-"
# The access log names the path and the status, never the query string: search terms are case data.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
