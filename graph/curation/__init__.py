"""Curation tools: check sources fast, add a document, pre-annotate it, and schemas for editors.

The ``kg check``, ``kg add``, ``kg suggest`` and ``kg schema`` commands are
thin layers over these modules. They share the loader's checks and messages
(:func:`graph.loader.load_sources`) and never write into a curated file.
"""

__all__ = ["add", "alias", "check", "files", "jsonschema", "mentions", "patterns", "suggest", "textdates"]
