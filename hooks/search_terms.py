"""Teach jieba the terms of the book before the search index is built.

Material's search plugin segments Chinese text with jieba. Without these
entries jieba cuts 雅可比 (Jacobian) into 雅 and 可比, so a search for the
whole term finds nothing.
"""

from pathlib import Path

import jieba

USER_DICT = Path(__file__).resolve().parent / "jieba_user_dict.txt"


def on_config(config):
    jieba.load_userdict(str(USER_DICT))
    return config
