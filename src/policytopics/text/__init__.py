"""From raw documents to tokens: page text, cleaning, mojibake, the reports' ritual, duplicates,
dates, places (the gazetteer, regions, place names kept out of the vocabulary), the document
report, passages, and segmentation (jieba).
"""
