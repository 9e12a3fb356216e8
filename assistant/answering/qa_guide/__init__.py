"""执法问答及指引: the team's question–answer pairs (several phrasings → a short answer with
citations), matched question-to-question and shown under an answer as 「执法问答」, never as law.

    model.py   entries and citations; reading and writing the JSONL format
    check.py   validation against the article texts (unknown citations, facts, duplicates)
    match.py   question → the closest entry's phrasing, above a threshold
    xlsx.py    export to and import from the admins' spreadsheet layout
    store.py   where guides live: corpus/qa_guide/ (shipped) and data_dir/qa_guide/ (imported)
"""
