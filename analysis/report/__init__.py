"""The offline HTML report: templates and the renderer."""
