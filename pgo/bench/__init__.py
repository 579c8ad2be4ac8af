"""`pgo bench`: performance figures of import, pages, throughput, page weight and Lighthouse (issue 8).

Never imported by the app: this package is only used by the `pgo bench` command and `make bench`.
"""
