"""From raw documents to tokens: page text, cleaning, mojibake, the reports' ritual, duplicates,
dates and places, the document report, passages, and segmentation (jieba).
"""
