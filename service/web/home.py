"""The home page: what the dataset holds, and where to go next."""

from flask import Blueprint, make_response, render_template

from ..dataset.stats import class_counts
from .common import reader_language, store

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    counts = class_counts(store()) if store().exists() else []
    response = make_response(render_template("home.html", counts=counts, lang=reader_language()))
    response.vary.add("Accept-Language")  # the figures name things in the reader's language
    return response
