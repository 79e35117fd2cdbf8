"""One module per group of API resources; each class wraps the endpoints under one path."""
