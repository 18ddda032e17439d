"""The home page: what the dataset holds, and where to go next."""

from flask import Blueprint, render_template

from ..dataset.stats import class_counts
from .common import store

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    counts = class_counts(store()) if store().exists() else []
    return render_template("home.html", counts=counts)
