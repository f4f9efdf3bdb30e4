"""Open-Model Landscape core: queries, models of deployment fit, licences, charts, export.

Never imports streamlit: every function here runs in scripts, tests and the CLI alike.
"""
