"""This course's figures, models, training recipes, data and drawing vocabulary (figgen.yaml: package: course)."""
