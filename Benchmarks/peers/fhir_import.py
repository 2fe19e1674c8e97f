#!/usr/bin/env python3
"""Peer for the FHIR import benchmark: a straightforward Python importer.

Streams a .tar.gz of FHIR R4 Bundles (or NDJSON) with tarfile, parses with json, and writes the
same kinds of rows Stratum writes (persons, visits, conditions, measurements incl. blood-pressure
components, observations, drug exposures, procedures) into SQLite with executemany, in one
transaction. No indexes (that favours the peer).

usage: fhir_import.py ARCHIVE.tar.gz OUT.sqlite
"""
import json
import sqlite3
import sys
import tarfile


def ref_id(ref):
    if not ref:
        return None
    ref = ref.get("reference", "") if isinstance(ref, dict) else ref
    return ref.rsplit(":", 1)[-1].rsplit("/", 1)[-1]


def first_coding(cc):
    for c in (cc or {}).get("coding", []):
        return c.get("system"), c.get("code")
    return None, None


def main(archive, out):
    db = sqlite3.connect(out)
    db.executescript("""
    PRAGMA journal_mode=DELETE; PRAGMA synchronous=NORMAL;
    CREATE TABLE person (id TEXT PRIMARY KEY, gender TEXT, birth_date TEXT);
    CREATE TABLE visit (id TEXT PRIMARY KEY, person TEXT, class TEXT, start TEXT, end TEXT, system TEXT, code TEXT);
    CREATE TABLE condition (id TEXT PRIMARY KEY, person TEXT, visit TEXT, start TEXT, end TEXT, system TEXT, code TEXT);
    CREATE TABLE measurement (id TEXT, person TEXT, visit TEXT, date TEXT, system TEXT, code TEXT, value REAL, unit TEXT);
    CREATE TABLE observation (id TEXT, person TEXT, visit TEXT, date TEXT, system TEXT, code TEXT, value TEXT);
    CREATE TABLE drug (id TEXT PRIMARY KEY, person TEXT, visit TEXT, date TEXT, system TEXT, code TEXT, kind TEXT);
    CREATE TABLE procedure (id TEXT PRIMARY KEY, person TEXT, visit TEXT, date TEXT, system TEXT, code TEXT);
    """)
    rows = {k: [] for k in ("person", "visit", "condition", "measurement", "observation", "drug", "procedure")}

    def handle(r):
        t = r.get("resourceType")
        subj = ref_id(r.get("subject") or r.get("patient"))
        enc = ref_id(r.get("encounter"))
        if t == "Patient":
            rows["person"].append((r.get("id"), r.get("gender"), r.get("birthDate")))
        elif t == "Encounter":
            s, c = first_coding((r.get("type") or [{}])[0])
            p = r.get("period", {})
            rows["visit"].append((r.get("id"), subj, (r.get("class") or {}).get("code"), p.get("start"), p.get("end"), s, c))
        elif t == "Condition":
            s, c = first_coding(r.get("code"))
            rows["condition"].append((r.get("id"), subj, enc, r.get("onsetDateTime"), r.get("abatementDateTime"), s, c))
        elif t == "Observation":
            date = r.get("effectiveDateTime") or r.get("issued")
            s, c = first_coding(r.get("code"))
            if "valueQuantity" in r:
                q = r["valueQuantity"]
                rows["measurement"].append((r.get("id"), subj, enc, date, s, c, q.get("value"), q.get("unit")))
            elif "component" in r:
                for comp in r["component"]:
                    cs, cc = first_coding(comp.get("code"))
                    q = comp.get("valueQuantity") or {}
                    rows["measurement"].append((r.get("id"), subj, enc, date, cs, cc, q.get("value"), q.get("unit")))
            else:
                vs, vc = first_coding(r.get("valueCodeableConcept"))
                rows["observation"].append((r.get("id"), subj, enc, date, s, c, vc or r.get("valueString")))
        elif t in ("MedicationRequest", "MedicationDispense", "MedicationStatement", "Immunization"):
            s, c = first_coding(r.get("medicationCodeableConcept") or r.get("vaccineCode"))
            date = r.get("authoredOn") or r.get("whenHandedOver") or r.get("occurrenceDateTime")
            rows["drug"].append((r.get("id"), subj, enc, date, s, c, t))
        elif t == "Procedure":
            s, c = first_coding(r.get("code"))
            date = r.get("performedDateTime") or (r.get("performedPeriod") or {}).get("start")
            rows["procedure"].append((r.get("id"), subj, enc, date, s, c))

    with tarfile.open(archive, "r:*") as tar:
        for member in tar:
            if not member.isfile():
                continue
            f = tar.extractfile(member)
            if member.name.endswith(".ndjson"):
                for line in f:
                    if line.strip():
                        handle(json.loads(line))
            elif member.name.endswith(".json"):
                doc = json.load(f)
                if doc.get("resourceType") == "Bundle":
                    for e in doc.get("entry", []):
                        handle(e.get("resource", {}))
                else:
                    handle(doc)
            for table, values in rows.items():
                if values:
                    marks = ",".join("?" * len(values[0]))
                    db.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({marks})", values)
                    values.clear()
    db.commit()
    total = sum(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in rows)
    print(f"python peer: {total} rows", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
