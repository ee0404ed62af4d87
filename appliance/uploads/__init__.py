"""Uploads: upload sessions, multipart parts, receiving a body, and the
service that turns a PUT or a completion into a file."""
