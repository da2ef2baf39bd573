"""organisation_changes: marks taken in organisation_id order at COMMIT, no deadlock between writers (PostgreSQL)

Until now each row's deferred trigger changed (and so locked) its
organisation's mark at COMMIT, in the order the transaction had first written
its organisations: two transactions writing the same organisations in
opposite orders could each hold one mark and wait for the other's, and
PostgreSQL aborted one. Now each row notes its organisation(s) as it changes
(a WHEN on the trigger, evaluated then: one deferred event per organisation
and transaction, not one per row), and the first firing at COMMIT changes
the marks of every organisation noted, sorted (volunteers.core.change_marks
says why and how). The SQL is change_marks.py's as this was written, and the
downgrade's that of 7c2d5e8f1a34 (both copied: a migration must not change
when that module does). SQLite (one writer at a time) is left as it is.

Revision ID: b4f03ceb0f49
Revises: 7c2d5e8f1a34
Create Date: 2026-12-06 15:58:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b4f03ceb0f49'
down_revision = '7c2d5e8f1a34'
branch_labels = None
depends_on = None

WATCHED = ('announcement_recipients',
 'announcements',
 'assignments',
 'availability_windows',
 'contacts',
 'contributions',
 'coordinator_sites',
 'cover_asks',
 'cover_requests',
 'leaves',
 'load_warnings',
 'memberships',
 'monthly_reports',
 'person_qualifications',
 'qualification_reminders',
 'qualifications',
 'rate_card_entries',
 'role_qualifications',
 'roles',
 'shift_offers',
 'shift_series',
 'shifts',
 'sites',
 'supervision_sessions',
 'supported_people',
 'waiting_list_entries',
 'webhook_endpoints')

# this revision's functions and triggers (change_marks.all_sql('postgresql', WATCHED) when it was written)
POSTGRESQL = ('CREATE OR REPLACE FUNCTION organisation_noted(org integer, other integer DEFAULT NULL) RETURNS boolean\n'
 'LANGUAGE plpgsql AS $$\n'
 'DECLARE\n'
 '  tx text := txid_current()::text;\n'
 '  fresh boolean := false;\n'
 'BEGIN\n'
 "  IF org IS NOT NULL AND current_setting('volunteers.noted_' || org, true) IS DISTINCT FROM tx THEN\n"
 "    PERFORM set_config('volunteers.noted_' || org, tx, true);\n"
 "    PERFORM set_config('volunteers.marks_due',\n"
 "                       concat_ws(',', nullif(current_setting('volunteers.marks_due', true), ''), org), true);\n"
 '    fresh := true;\n'
 '  END IF;\n'
 '  IF other IS NOT NULL AND other IS DISTINCT FROM org THEN\n'
 '    IF organisation_noted(other) THEN\n'
 '      fresh := true;\n'
 '    END IF;\n'
 '  END IF;\n'
 '  RETURN fresh;\n'
 'END $$',
 'CREATE OR REPLACE FUNCTION person_noted(person integer) RETURNS boolean LANGUAGE plpgsql AS $$\n'
 'DECLARE\n'
 '  org integer;\n'
 '  fresh boolean := false;\n'
 'BEGIN\n'
 '  FOR org IN SELECT organisation_id FROM memberships WHERE person_id = person LOOP\n'
 '    IF organisation_noted(org) THEN\n'
 '      fresh := true;\n'
 '    END IF;\n'
 '  END LOOP;\n'
 '  RETURN fresh;\n'
 'END $$',
 'CREATE OR REPLACE FUNCTION organisation_marks_changed() RETURNS trigger LANGUAGE plpgsql AS $$\n'
 'DECLARE\n'
 "  due text := nullif(current_setting('volunteers.marks_due', true), '');\n"
 '  org integer;\n'
 'BEGIN\n'
 '  IF due IS NULL THEN\n'
 '    RETURN NULL;\n'
 '  END IF;\n'
 "  PERFORM set_config('volunteers.marks_due', '', true);\n"
 "  FOR org IN SELECT DISTINCT unnest(string_to_array(due, ',')::integer[]) ORDER BY 1 LOOP\n"
 '    UPDATE organisation_changes SET mark = (random() * 9.2e18)::bigint WHERE organisation_id = org;\n'
 '  END LOOP;\n'
 '  RETURN NULL;\n'
 'END $$',
 'CREATE OR REPLACE FUNCTION organisation_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$\n'
 'BEGIN\n'
 "  IF TG_OP = 'INSERT' THEN\n"
 '    INSERT INTO organisation_changes (organisation_id, mark) VALUES (NEW.id, (random() * 9.2e18)::bigint)\n'
 '      ON CONFLICT (organisation_id) DO UPDATE SET mark = EXCLUDED.mark;\n'
 '  ELSE\n'
 '    DELETE FROM organisation_changes WHERE organisation_id = OLD.id;\n'
 '  END IF;\n'
 '  RETURN NULL;\n'
 'END $$',
 'DROP TRIGGER IF EXISTS organisations_marks_made ON organisations',
 'CREATE TRIGGER organisations_marks_made AFTER INSERT OR DELETE ON organisations\n'
 'FOR EACH ROW EXECUTE FUNCTION organisation_row_changed()',
 'DROP TRIGGER IF EXISTS organisations_marks ON organisations',
 'CREATE CONSTRAINT TRIGGER organisations_marks AFTER UPDATE ON organisations DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.id, NEW.id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS people_marks ON people',
 'CREATE CONSTRAINT TRIGGER people_marks AFTER UPDATE OR DELETE ON people DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (person_noted(OLD.id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS announcement_recipients_marks_insert ON announcement_recipients',
 'CREATE CONSTRAINT TRIGGER announcement_recipients_marks_insert AFTER INSERT ON announcement_recipients DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS announcement_recipients_marks_update ON announcement_recipients',
 'CREATE CONSTRAINT TRIGGER announcement_recipients_marks_update AFTER UPDATE ON announcement_recipients DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS announcement_recipients_marks_delete ON announcement_recipients',
 'CREATE CONSTRAINT TRIGGER announcement_recipients_marks_delete AFTER DELETE ON announcement_recipients DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS announcements_marks_insert ON announcements',
 'CREATE CONSTRAINT TRIGGER announcements_marks_insert AFTER INSERT ON announcements DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS announcements_marks_update ON announcements',
 'CREATE CONSTRAINT TRIGGER announcements_marks_update AFTER UPDATE ON announcements DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS announcements_marks_delete ON announcements',
 'CREATE CONSTRAINT TRIGGER announcements_marks_delete AFTER DELETE ON announcements DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS assignments_marks_insert ON assignments',
 'CREATE CONSTRAINT TRIGGER assignments_marks_insert AFTER INSERT ON assignments DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS assignments_marks_update ON assignments',
 'CREATE CONSTRAINT TRIGGER assignments_marks_update AFTER UPDATE ON assignments DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS assignments_marks_delete ON assignments',
 'CREATE CONSTRAINT TRIGGER assignments_marks_delete AFTER DELETE ON assignments DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS availability_windows_marks_insert ON availability_windows',
 'CREATE CONSTRAINT TRIGGER availability_windows_marks_insert AFTER INSERT ON availability_windows DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS availability_windows_marks_update ON availability_windows',
 'CREATE CONSTRAINT TRIGGER availability_windows_marks_update AFTER UPDATE ON availability_windows DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS availability_windows_marks_delete ON availability_windows',
 'CREATE CONSTRAINT TRIGGER availability_windows_marks_delete AFTER DELETE ON availability_windows DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS contacts_marks_insert ON contacts',
 'CREATE CONSTRAINT TRIGGER contacts_marks_insert AFTER INSERT ON contacts DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS contacts_marks_update ON contacts',
 'CREATE CONSTRAINT TRIGGER contacts_marks_update AFTER UPDATE ON contacts DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS contacts_marks_delete ON contacts',
 'CREATE CONSTRAINT TRIGGER contacts_marks_delete AFTER DELETE ON contacts DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS contributions_marks_insert ON contributions',
 'CREATE CONSTRAINT TRIGGER contributions_marks_insert AFTER INSERT ON contributions DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS contributions_marks_update ON contributions',
 'CREATE CONSTRAINT TRIGGER contributions_marks_update AFTER UPDATE ON contributions DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS contributions_marks_delete ON contributions',
 'CREATE CONSTRAINT TRIGGER contributions_marks_delete AFTER DELETE ON contributions DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS coordinator_sites_marks_insert ON coordinator_sites',
 'CREATE CONSTRAINT TRIGGER coordinator_sites_marks_insert AFTER INSERT ON coordinator_sites DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS coordinator_sites_marks_update ON coordinator_sites',
 'CREATE CONSTRAINT TRIGGER coordinator_sites_marks_update AFTER UPDATE ON coordinator_sites DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS coordinator_sites_marks_delete ON coordinator_sites',
 'CREATE CONSTRAINT TRIGGER coordinator_sites_marks_delete AFTER DELETE ON coordinator_sites DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS cover_asks_marks_insert ON cover_asks',
 'CREATE CONSTRAINT TRIGGER cover_asks_marks_insert AFTER INSERT ON cover_asks DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS cover_asks_marks_update ON cover_asks',
 'CREATE CONSTRAINT TRIGGER cover_asks_marks_update AFTER UPDATE ON cover_asks DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS cover_asks_marks_delete ON cover_asks',
 'CREATE CONSTRAINT TRIGGER cover_asks_marks_delete AFTER DELETE ON cover_asks DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS cover_requests_marks_insert ON cover_requests',
 'CREATE CONSTRAINT TRIGGER cover_requests_marks_insert AFTER INSERT ON cover_requests DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS cover_requests_marks_update ON cover_requests',
 'CREATE CONSTRAINT TRIGGER cover_requests_marks_update AFTER UPDATE ON cover_requests DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS cover_requests_marks_delete ON cover_requests',
 'CREATE CONSTRAINT TRIGGER cover_requests_marks_delete AFTER DELETE ON cover_requests DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS leaves_marks_insert ON leaves',
 'CREATE CONSTRAINT TRIGGER leaves_marks_insert AFTER INSERT ON leaves DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS leaves_marks_update ON leaves',
 'CREATE CONSTRAINT TRIGGER leaves_marks_update AFTER UPDATE ON leaves DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS leaves_marks_delete ON leaves',
 'CREATE CONSTRAINT TRIGGER leaves_marks_delete AFTER DELETE ON leaves DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS load_warnings_marks_insert ON load_warnings',
 'CREATE CONSTRAINT TRIGGER load_warnings_marks_insert AFTER INSERT ON load_warnings DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS load_warnings_marks_update ON load_warnings',
 'CREATE CONSTRAINT TRIGGER load_warnings_marks_update AFTER UPDATE ON load_warnings DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS load_warnings_marks_delete ON load_warnings',
 'CREATE CONSTRAINT TRIGGER load_warnings_marks_delete AFTER DELETE ON load_warnings DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS memberships_marks_insert ON memberships',
 'CREATE CONSTRAINT TRIGGER memberships_marks_insert AFTER INSERT ON memberships DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS memberships_marks_update ON memberships',
 'CREATE CONSTRAINT TRIGGER memberships_marks_update AFTER UPDATE ON memberships DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS memberships_marks_delete ON memberships',
 'CREATE CONSTRAINT TRIGGER memberships_marks_delete AFTER DELETE ON memberships DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS monthly_reports_marks_insert ON monthly_reports',
 'CREATE CONSTRAINT TRIGGER monthly_reports_marks_insert AFTER INSERT ON monthly_reports DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS monthly_reports_marks_update ON monthly_reports',
 'CREATE CONSTRAINT TRIGGER monthly_reports_marks_update AFTER UPDATE ON monthly_reports DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS monthly_reports_marks_delete ON monthly_reports',
 'CREATE CONSTRAINT TRIGGER monthly_reports_marks_delete AFTER DELETE ON monthly_reports DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS person_qualifications_marks_insert ON person_qualifications',
 'CREATE CONSTRAINT TRIGGER person_qualifications_marks_insert AFTER INSERT ON person_qualifications DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS person_qualifications_marks_update ON person_qualifications',
 'CREATE CONSTRAINT TRIGGER person_qualifications_marks_update AFTER UPDATE ON person_qualifications DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS person_qualifications_marks_delete ON person_qualifications',
 'CREATE CONSTRAINT TRIGGER person_qualifications_marks_delete AFTER DELETE ON person_qualifications DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS qualification_reminders_marks_insert ON qualification_reminders',
 'CREATE CONSTRAINT TRIGGER qualification_reminders_marks_insert AFTER INSERT ON qualification_reminders DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS qualification_reminders_marks_update ON qualification_reminders',
 'CREATE CONSTRAINT TRIGGER qualification_reminders_marks_update AFTER UPDATE ON qualification_reminders DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS qualification_reminders_marks_delete ON qualification_reminders',
 'CREATE CONSTRAINT TRIGGER qualification_reminders_marks_delete AFTER DELETE ON qualification_reminders DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS qualifications_marks_insert ON qualifications',
 'CREATE CONSTRAINT TRIGGER qualifications_marks_insert AFTER INSERT ON qualifications DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS qualifications_marks_update ON qualifications',
 'CREATE CONSTRAINT TRIGGER qualifications_marks_update AFTER UPDATE ON qualifications DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS qualifications_marks_delete ON qualifications',
 'CREATE CONSTRAINT TRIGGER qualifications_marks_delete AFTER DELETE ON qualifications DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS rate_card_entries_marks_insert ON rate_card_entries',
 'CREATE CONSTRAINT TRIGGER rate_card_entries_marks_insert AFTER INSERT ON rate_card_entries DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS rate_card_entries_marks_update ON rate_card_entries',
 'CREATE CONSTRAINT TRIGGER rate_card_entries_marks_update AFTER UPDATE ON rate_card_entries DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS rate_card_entries_marks_delete ON rate_card_entries',
 'CREATE CONSTRAINT TRIGGER rate_card_entries_marks_delete AFTER DELETE ON rate_card_entries DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS role_qualifications_marks_insert ON role_qualifications',
 'CREATE CONSTRAINT TRIGGER role_qualifications_marks_insert AFTER INSERT ON role_qualifications DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS role_qualifications_marks_update ON role_qualifications',
 'CREATE CONSTRAINT TRIGGER role_qualifications_marks_update AFTER UPDATE ON role_qualifications DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS role_qualifications_marks_delete ON role_qualifications',
 'CREATE CONSTRAINT TRIGGER role_qualifications_marks_delete AFTER DELETE ON role_qualifications DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS roles_marks_insert ON roles',
 'CREATE CONSTRAINT TRIGGER roles_marks_insert AFTER INSERT ON roles DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS roles_marks_update ON roles',
 'CREATE CONSTRAINT TRIGGER roles_marks_update AFTER UPDATE ON roles DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS roles_marks_delete ON roles',
 'CREATE CONSTRAINT TRIGGER roles_marks_delete AFTER DELETE ON roles DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS shift_offers_marks_insert ON shift_offers',
 'CREATE CONSTRAINT TRIGGER shift_offers_marks_insert AFTER INSERT ON shift_offers DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS shift_offers_marks_update ON shift_offers',
 'CREATE CONSTRAINT TRIGGER shift_offers_marks_update AFTER UPDATE ON shift_offers DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS shift_offers_marks_delete ON shift_offers',
 'CREATE CONSTRAINT TRIGGER shift_offers_marks_delete AFTER DELETE ON shift_offers DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS shift_series_marks_insert ON shift_series',
 'CREATE CONSTRAINT TRIGGER shift_series_marks_insert AFTER INSERT ON shift_series DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS shift_series_marks_update ON shift_series',
 'CREATE CONSTRAINT TRIGGER shift_series_marks_update AFTER UPDATE ON shift_series DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS shift_series_marks_delete ON shift_series',
 'CREATE CONSTRAINT TRIGGER shift_series_marks_delete AFTER DELETE ON shift_series DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS shifts_marks_insert ON shifts',
 'CREATE CONSTRAINT TRIGGER shifts_marks_insert AFTER INSERT ON shifts DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS shifts_marks_update ON shifts',
 'CREATE CONSTRAINT TRIGGER shifts_marks_update AFTER UPDATE ON shifts DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS shifts_marks_delete ON shifts',
 'CREATE CONSTRAINT TRIGGER shifts_marks_delete AFTER DELETE ON shifts DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS sites_marks_insert ON sites',
 'CREATE CONSTRAINT TRIGGER sites_marks_insert AFTER INSERT ON sites DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS sites_marks_update ON sites',
 'CREATE CONSTRAINT TRIGGER sites_marks_update AFTER UPDATE ON sites DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS sites_marks_delete ON sites',
 'CREATE CONSTRAINT TRIGGER sites_marks_delete AFTER DELETE ON sites DEFERRABLE INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS supervision_sessions_marks_insert ON supervision_sessions',
 'CREATE CONSTRAINT TRIGGER supervision_sessions_marks_insert AFTER INSERT ON supervision_sessions DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS supervision_sessions_marks_update ON supervision_sessions',
 'CREATE CONSTRAINT TRIGGER supervision_sessions_marks_update AFTER UPDATE ON supervision_sessions DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS supervision_sessions_marks_delete ON supervision_sessions',
 'CREATE CONSTRAINT TRIGGER supervision_sessions_marks_delete AFTER DELETE ON supervision_sessions DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS supported_people_marks_insert ON supported_people',
 'CREATE CONSTRAINT TRIGGER supported_people_marks_insert AFTER INSERT ON supported_people DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS supported_people_marks_update ON supported_people',
 'CREATE CONSTRAINT TRIGGER supported_people_marks_update AFTER UPDATE ON supported_people DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS supported_people_marks_delete ON supported_people',
 'CREATE CONSTRAINT TRIGGER supported_people_marks_delete AFTER DELETE ON supported_people DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS waiting_list_entries_marks_insert ON waiting_list_entries',
 'CREATE CONSTRAINT TRIGGER waiting_list_entries_marks_insert AFTER INSERT ON waiting_list_entries DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS waiting_list_entries_marks_update ON waiting_list_entries',
 'CREATE CONSTRAINT TRIGGER waiting_list_entries_marks_update AFTER UPDATE ON waiting_list_entries DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS waiting_list_entries_marks_delete ON waiting_list_entries',
 'CREATE CONSTRAINT TRIGGER waiting_list_entries_marks_delete AFTER DELETE ON waiting_list_entries DEFERRABLE '
 'INITIALLY DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS webhook_endpoints_marks_insert ON webhook_endpoints',
 'CREATE CONSTRAINT TRIGGER webhook_endpoints_marks_insert AFTER INSERT ON webhook_endpoints DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(NEW.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS webhook_endpoints_marks_update ON webhook_endpoints',
 'CREATE CONSTRAINT TRIGGER webhook_endpoints_marks_update AFTER UPDATE ON webhook_endpoints DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id, NEW.organisation_id)) EXECUTE FUNCTION '
 'organisation_marks_changed()',
 'DROP TRIGGER IF EXISTS webhook_endpoints_marks_delete ON webhook_endpoints',
 'CREATE CONSTRAINT TRIGGER webhook_endpoints_marks_delete AFTER DELETE ON webhook_endpoints DEFERRABLE INITIALLY '
 'DEFERRED\n'
 'FOR EACH ROW WHEN (organisation_noted(OLD.organisation_id)) EXECUTE FUNCTION organisation_marks_changed()')

# 7c2d5e8f1a34's, for the downgrade
PREVIOUS = ('CREATE OR REPLACE FUNCTION organisation_changed(org integer) RETURNS void LANGUAGE plpgsql AS $$\n'
 'DECLARE\n'
 "  flag text := 'volunteers.changed_' || org;\n"
 'BEGIN\n'
 '  IF org IS NULL OR current_setting(flag, true) = txid_current()::text THEN\n'
 '    RETURN;\n'
 '  END IF;\n'
 '  UPDATE organisation_changes SET mark = (random() * 9.2e18)::bigint WHERE organisation_id = org;\n'
 '  PERFORM set_config(flag, txid_current()::text, true);\n'
 'END $$',
 'CREATE OR REPLACE FUNCTION organisation_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$\n'
 'BEGIN\n'
 "  IF TG_OP = 'INSERT' THEN\n"
 '    PERFORM organisation_changed(NEW.organisation_id);\n'
 "  ELSIF TG_OP = 'DELETE' THEN\n"
 '    PERFORM organisation_changed(OLD.organisation_id);\n'
 '  ELSE\n'
 '    PERFORM organisation_changed(OLD.organisation_id);\n'
 '    PERFORM organisation_changed(NEW.organisation_id);\n'
 '  END IF;\n'
 '  RETURN NULL;\n'
 'END $$',
 'CREATE OR REPLACE FUNCTION organisation_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$\n'
 'BEGIN\n'
 "  IF TG_OP = 'INSERT' THEN\n"
 '    INSERT INTO organisation_changes (organisation_id, mark) VALUES (NEW.id, (random() * 9.2e18)::bigint)\n'
 '      ON CONFLICT (organisation_id) DO UPDATE SET mark = EXCLUDED.mark;\n'
 "  ELSIF TG_OP = 'DELETE' THEN\n"
 '    DELETE FROM organisation_changes WHERE organisation_id = OLD.id;\n'
 '  ELSE\n'
 '    PERFORM organisation_changed(OLD.id);\n'
 '    PERFORM organisation_changed(NEW.id);\n'
 '  END IF;\n'
 '  RETURN NULL;\n'
 'END $$',
 'CREATE OR REPLACE FUNCTION person_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$\n'
 'DECLARE\n'
 '  org integer;\n'
 'BEGIN\n'
 '  FOR org IN SELECT DISTINCT organisation_id FROM memberships WHERE person_id = OLD.id\n'
 '             ORDER BY organisation_id LOOP\n'
 '    PERFORM organisation_changed(org);\n'
 '  END LOOP;\n'
 '  RETURN NULL;\n'
 'END $$',
 'DROP TRIGGER IF EXISTS organisations_marks_made ON organisations',
 'CREATE TRIGGER organisations_marks_made AFTER INSERT OR DELETE ON organisations\n'
 'FOR EACH ROW EXECUTE FUNCTION organisation_row_changed()',
 'DROP TRIGGER IF EXISTS organisations_marks ON organisations',
 'CREATE CONSTRAINT TRIGGER organisations_marks AFTER UPDATE ON organisations\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_row_changed()',
 'DROP TRIGGER IF EXISTS people_marks ON people',
 'CREATE CONSTRAINT TRIGGER people_marks AFTER UPDATE OR DELETE ON people\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION person_row_changed()',
 'DROP TRIGGER IF EXISTS announcement_recipients_marks ON announcement_recipients',
 'CREATE CONSTRAINT TRIGGER announcement_recipients_marks AFTER INSERT OR UPDATE OR DELETE ON '
 'announcement_recipients\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS announcements_marks ON announcements',
 'CREATE CONSTRAINT TRIGGER announcements_marks AFTER INSERT OR UPDATE OR DELETE ON announcements\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS assignments_marks ON assignments',
 'CREATE CONSTRAINT TRIGGER assignments_marks AFTER INSERT OR UPDATE OR DELETE ON assignments\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS availability_windows_marks ON availability_windows',
 'CREATE CONSTRAINT TRIGGER availability_windows_marks AFTER INSERT OR UPDATE OR DELETE ON availability_windows\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS contacts_marks ON contacts',
 'CREATE CONSTRAINT TRIGGER contacts_marks AFTER INSERT OR UPDATE OR DELETE ON contacts\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS contributions_marks ON contributions',
 'CREATE CONSTRAINT TRIGGER contributions_marks AFTER INSERT OR UPDATE OR DELETE ON contributions\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS coordinator_sites_marks ON coordinator_sites',
 'CREATE CONSTRAINT TRIGGER coordinator_sites_marks AFTER INSERT OR UPDATE OR DELETE ON coordinator_sites\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS cover_asks_marks ON cover_asks',
 'CREATE CONSTRAINT TRIGGER cover_asks_marks AFTER INSERT OR UPDATE OR DELETE ON cover_asks\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS cover_requests_marks ON cover_requests',
 'CREATE CONSTRAINT TRIGGER cover_requests_marks AFTER INSERT OR UPDATE OR DELETE ON cover_requests\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS leaves_marks ON leaves',
 'CREATE CONSTRAINT TRIGGER leaves_marks AFTER INSERT OR UPDATE OR DELETE ON leaves\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS load_warnings_marks ON load_warnings',
 'CREATE CONSTRAINT TRIGGER load_warnings_marks AFTER INSERT OR UPDATE OR DELETE ON load_warnings\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS memberships_marks ON memberships',
 'CREATE CONSTRAINT TRIGGER memberships_marks AFTER INSERT OR UPDATE OR DELETE ON memberships\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS monthly_reports_marks ON monthly_reports',
 'CREATE CONSTRAINT TRIGGER monthly_reports_marks AFTER INSERT OR UPDATE OR DELETE ON monthly_reports\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS person_qualifications_marks ON person_qualifications',
 'CREATE CONSTRAINT TRIGGER person_qualifications_marks AFTER INSERT OR UPDATE OR DELETE ON person_qualifications\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS qualification_reminders_marks ON qualification_reminders',
 'CREATE CONSTRAINT TRIGGER qualification_reminders_marks AFTER INSERT OR UPDATE OR DELETE ON '
 'qualification_reminders\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS qualifications_marks ON qualifications',
 'CREATE CONSTRAINT TRIGGER qualifications_marks AFTER INSERT OR UPDATE OR DELETE ON qualifications\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS rate_card_entries_marks ON rate_card_entries',
 'CREATE CONSTRAINT TRIGGER rate_card_entries_marks AFTER INSERT OR UPDATE OR DELETE ON rate_card_entries\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS role_qualifications_marks ON role_qualifications',
 'CREATE CONSTRAINT TRIGGER role_qualifications_marks AFTER INSERT OR UPDATE OR DELETE ON role_qualifications\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS roles_marks ON roles',
 'CREATE CONSTRAINT TRIGGER roles_marks AFTER INSERT OR UPDATE OR DELETE ON roles\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS shift_offers_marks ON shift_offers',
 'CREATE CONSTRAINT TRIGGER shift_offers_marks AFTER INSERT OR UPDATE OR DELETE ON shift_offers\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS shift_series_marks ON shift_series',
 'CREATE CONSTRAINT TRIGGER shift_series_marks AFTER INSERT OR UPDATE OR DELETE ON shift_series\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS shifts_marks ON shifts',
 'CREATE CONSTRAINT TRIGGER shifts_marks AFTER INSERT OR UPDATE OR DELETE ON shifts\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS sites_marks ON sites',
 'CREATE CONSTRAINT TRIGGER sites_marks AFTER INSERT OR UPDATE OR DELETE ON sites\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS supervision_sessions_marks ON supervision_sessions',
 'CREATE CONSTRAINT TRIGGER supervision_sessions_marks AFTER INSERT OR UPDATE OR DELETE ON supervision_sessions\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS supported_people_marks ON supported_people',
 'CREATE CONSTRAINT TRIGGER supported_people_marks AFTER INSERT OR UPDATE OR DELETE ON supported_people\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS waiting_list_entries_marks ON waiting_list_entries',
 'CREATE CONSTRAINT TRIGGER waiting_list_entries_marks AFTER INSERT OR UPDATE OR DELETE ON waiting_list_entries\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()',
 'DROP TRIGGER IF EXISTS webhook_endpoints_marks ON webhook_endpoints',
 'CREATE CONSTRAINT TRIGGER webhook_endpoints_marks AFTER INSERT OR UPDATE OR DELETE ON webhook_endpoints\n'
 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION organisation_rows_changed()')


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    for name in WATCHED:
        bind.exec_driver_sql(f'DROP TRIGGER IF EXISTS {name}_marks ON {name}')
    for sql in POSTGRESQL:
        bind.exec_driver_sql(sql)
    for function in ('organisation_rows_changed()', 'person_row_changed()', 'organisation_changed(integer)'):
        bind.exec_driver_sql(f'DROP FUNCTION IF EXISTS {function}')


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    for name in WATCHED:
        for event in ('insert', 'update', 'delete'):
            bind.exec_driver_sql(f'DROP TRIGGER IF EXISTS {name}_marks_{event} ON {name}')
    for sql in PREVIOUS:
        bind.exec_driver_sql(sql)
    for function in ('organisation_marks_changed()', 'person_noted(integer)', 'organisation_noted(integer, integer)'):
        bind.exec_driver_sql(f'DROP FUNCTION IF EXISTS {function}')
