# courses_progress_record() (migration 0008) checks the content token itself: a progress event
# whose lesson this process already knows is one round trip, not two (the token, then the
# write). The function is replaced whole, with two parameters more; tests/courses/
# test_progress_function.py still compares it with services._write_in_steps().

import importlib

from django.db import migrations

PREVIOUS = importlib.import_module("courses.migrations.0008_progress_record_function")

FUNCTION = """
CREATE FUNCTION courses_progress_record(
    -- The event, as services._event_values() prepares it for the ledger.
    p_event uuid, p_learner integer, p_force bigint, p_module integer, p_lesson integer,
    p_verb varchar, p_result jsonb, p_body_hash varchar, p_occurred timestamptz,
    p_recorded timestamptz,
    -- The lesson row: its status and completion time for this event, decided in Python.
    p_lesson_status smallint, p_lesson_completed timestamptz,
    -- The server's score for an "answered" event (NULLs otherwise).
    p_block varchar, p_score smallint,
    -- The module as the learner's structure cache sees it: live lessons, every knowledge check
    -- (lesson id and block id, pairwise), the pass mark, the revision to record on completion,
    -- and a fresh certificate code, used only if this event completes the module.
    p_live integer[], p_check_lessons integer[], p_check_blocks varchar[], p_pass_mark integer,
    p_revision integer, p_certificate varchar,
    -- The content token that module view was read at (courses.structure), and whether to
    -- check that it is still current before writing anything.
    p_token varchar, p_check_token boolean
) RETURNS SETOF courses_moduleprogress LANGUAGE plpgsql AS $$
DECLARE
    v_stale courses_moduleprogress;  -- all NULL
    v_row_id bigint;
    v_completed_at timestamptz;
    v_results integer := 0;
    v_sum integer;
    v_count integer;
    v_lesson_score integer;
    v_score integer;
    v_done integer;
    v_total integer := cardinality(p_live);
    v_finishing boolean;
    v_created boolean := false;
BEGIN
    -- A caller that kept its view of the module from an earlier request sends the token it
    -- was read at: if the content has changed since, nothing is written and one row of NULLs
    -- says so; the caller reads the module again and calls once more. This saves the
    -- statement that would otherwise read the token first.
    IF p_check_token AND p_token IS DISTINCT FROM
            (SELECT token FROM courses_contentversion WHERE id = 1) THEN
        RETURN NEXT v_stale;
        RETURN;
    END IF;

    -- Lock (or create) the learner's module row first, as every writer does: concurrent
    -- events for one learner and module queue here, and each sees the others' lesson rows.
    -- Locking an existing row writes nothing, unlike an upsert's no-op update.
    SELECT m.id, m.completed_at INTO v_row_id, v_completed_at FROM courses_moduleprogress m
    WHERE m.learner_id = p_learner AND m.module_id = p_module FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO courses_moduleprogress AS m (learner_id, module_id, force_id, status,
            lessons_completed, lessons_total, updated_at)
        VALUES (p_learner, p_module, p_force, 0, 0, 0, p_recorded)
        ON CONFLICT (learner_id, module_id) DO NOTHING
        RETURNING m.id, m.completed_at INTO v_row_id, v_completed_at;
        v_created := FOUND;
        IF NOT v_created THEN  -- a concurrent event created it first: wait for its lock
            SELECT m.id, m.completed_at INTO v_row_id, v_completed_at
            FROM courses_moduleprogress m
            WHERE m.learner_id = p_learner AND m.module_id = p_module FOR UPDATE;
        END IF;
    END IF;

    INSERT INTO courses_progressevent (id, learner_id, force_id, module_id, lesson_id, verb,
        result, body_hash, occurred_at, recorded_at)
    VALUES (p_event, p_learner, p_force, p_module, p_lesson, p_verb, p_result, p_body_hash,
        p_occurred, p_recorded)
    ON CONFLICT (id) DO NOTHING;
    IF NOT FOUND THEN
        -- A replay, or another event with this id: Python answers. Nothing is left behind,
        -- not even the placeholder row made above (the summary triggers ignore it).
        IF v_created THEN
            DELETE FROM courses_moduleprogress WHERE id = v_row_id;
        END IF;
        RETURN;
    END IF;

    IF p_block IS NOT NULL THEN
        INSERT INTO courses_knowledgecheckresult AS r (learner_id, lesson_id, module_id,
            block_id, best_score, last_score, attempts, updated_at)
        VALUES (p_learner, p_lesson, p_module, p_block, p_score, p_score, 1, p_recorded)
        ON CONFLICT (learner_id, lesson_id, block_id) DO UPDATE SET
            best_score = GREATEST(r.best_score, excluded.best_score),
            last_score = excluded.last_score,
            attempts = r.attempts + 1,
            updated_at = excluded.updated_at;
    END IF;

    -- Best score per check of the module; a check never answered counts as 0.
    IF cardinality(p_check_lessons) > 0 THEN
        SELECT count(*) INTO v_results FROM courses_knowledgecheckresult
        WHERE learner_id = p_learner AND module_id = p_module;
        IF p_block IS NOT NULL THEN
            SELECT COALESCE(sum(r.best_score), 0), count(*) INTO v_sum, v_count
            FROM unnest(p_check_lessons, p_check_blocks) AS c(lesson_id, block_id)
            LEFT JOIN courses_knowledgecheckresult r ON r.learner_id = p_learner
                AND r.module_id = p_module AND r.lesson_id = c.lesson_id
                AND r.block_id = c.block_id
            WHERE c.lesson_id = p_lesson;
            IF v_count > 0 THEN
                v_lesson_score := courses_rounded_mean(v_sum, v_count);
            END IF;
        END IF;
        IF v_results > 0 THEN  -- no score until the learner has answered a check
            SELECT COALESCE(sum(r.best_score), 0), count(*) INTO v_sum, v_count
            FROM unnest(p_check_lessons, p_check_blocks) AS c(lesson_id, block_id)
            LEFT JOIN courses_knowledgecheckresult r ON r.learner_id = p_learner
                AND r.module_id = p_module AND r.lesson_id = c.lesson_id
                AND r.block_id = c.block_id;
            v_score := courses_rounded_mean(v_sum, v_count);
        END IF;
    END IF;

    INSERT INTO courses_lessonprogress AS l (learner_id, lesson_id, module_id, force_id,
        status, score, started_at, completed_at, updated_at)
    VALUES (p_learner, p_lesson, p_module, p_force, p_lesson_status, v_lesson_score,
        p_occurred, p_lesson_completed, p_recorded)
    ON CONFLICT (learner_id, lesson_id) DO UPDATE SET
        status = GREATEST(l.status, excluded.status),
        score = COALESCE(excluded.score, l.score),
        started_at = LEAST(COALESCE(l.started_at, excluded.started_at), excluded.started_at),
        completed_at = COALESCE(l.completed_at, excluded.completed_at),
        updated_at = excluded.updated_at;

    SELECT count(*) INTO v_done FROM courses_lessonprogress
    WHERE learner_id = p_learner AND status = 2 AND lesson_id = ANY (p_live);

    -- Completion happens once: the time, the module revision completed, and the certificate.
    v_finishing := v_completed_at IS NULL AND v_total > 0 AND v_done = v_total
        AND (cardinality(p_check_lessons) = 0
             OR (v_score IS NOT NULL AND v_score >= p_pass_mark));
    RETURN QUERY
    UPDATE courses_moduleprogress SET
        status = GREATEST(status, CASE WHEN v_finishing THEN 2 ELSE 1 END),
        started_at = LEAST(COALESCE(started_at, p_occurred), p_occurred),
        lessons_completed = v_done,
        lessons_total = v_total,
        score = v_score,
        updated_at = p_recorded,
        completed_at = CASE WHEN v_finishing THEN p_occurred ELSE completed_at END,
        completed_revision_id = CASE WHEN v_finishing THEN p_revision
                                     ELSE completed_revision_id END,
        certificate_code = CASE WHEN v_finishing THEN p_certificate ELSE certificate_code END
    WHERE id = v_row_id
    RETURNING *;
END $$;
"""

OLD_SIGNATURE = (
    "uuid, integer, bigint, integer, integer, varchar, jsonb, varchar, timestamptz, "
    "timestamptz, smallint, timestamptz, varchar, smallint, integer[], integer[], varchar[], "
    "integer, integer, varchar"
)
NEW_SIGNATURE = OLD_SIGNATURE + ", varchar, boolean"


def replace(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION courses_progress_record({OLD_SIGNATURE});")
        schema_editor.execute(FUNCTION, params=None)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION courses_progress_record({NEW_SIGNATURE});")
        schema_editor.execute(PREVIOUS.FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_progress_record_function"),
    ]

    operations = [migrations.RunPython(replace, restore)]
