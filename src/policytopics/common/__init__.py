"""What every layer shares: the Chinese script (the CJK range, simplified characters, display
widths, jieba's tokenizer, date spans), decoding bytes to text, and worker processes and threads.

Nothing here knows the study; every other subpackage may import from here.
"""
