"""figgen.yaml: the one place where models and figures are declared.

model.py      the dataclasses every other module reads (Project, ModelSpec, FigureSpec, Settings)
load.py       find_root, load_project: the config cache's fast path, else parse and validate
yaml_lines.py YAML to plain data and one map from each value's path to its line
schema.py     the pydantic types of figgen.yaml (and its JSON Schema), imported only on a change
typed_values.py  one validator for declared types: Hyperparameters, figure Params, constructors
cache.py      the validated project as JSON
json_schema.py  the shipped JSON Schema and the copy figgen.yaml's modeline points editors at
"""

from figgen.config.load import find_root, load_project
from figgen.config.model import (ALLOWED_NAMES, CLASS_PATH, CONFIG_NAME, DEFAULT_FIGURE_TIMEOUT, DEFAULT_LIBRARIES,
                                 DEFAULT_MODEL_TIMEOUT, IDENTIFIER, IMAGE_FORMATS, MAX_YAML_VALUES, MODULE_PATH,
                                 SITE_IMAGE_PATH, URL_PREFIX, FigureSpec, ModelSpec, Project, Settings,
                                 site_image_path)

__all__ = ["ALLOWED_NAMES", "CLASS_PATH", "CONFIG_NAME", "DEFAULT_FIGURE_TIMEOUT", "DEFAULT_LIBRARIES",
           "DEFAULT_MODEL_TIMEOUT", "IDENTIFIER", "IMAGE_FORMATS", "MAX_YAML_VALUES", "MODULE_PATH", "SITE_IMAGE_PATH",
           "URL_PREFIX", "FigureSpec", "ModelSpec", "Project", "Settings", "find_root", "load_project",
           "site_image_path"]
