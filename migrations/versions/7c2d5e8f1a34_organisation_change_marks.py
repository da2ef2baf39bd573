"""organisation_changes: each organisation's change mark, changed by triggers on its tables (issue 13)

The shift panel is kept between views under its organisation's mark
(volunteers.core.change_marks says why and how). This makes the marks' table,
a mark for every organisation there is, and the triggers, as change_marks.py
made them when this was written (copied: a migration must not change when
that module does). Tables added later get their triggers in their own
migration (tests/integration/test_migrations.py checks).

Revision ID: 7c2d5e8f1a34
Revises: 64e6ffb5dec2
Create Date: 2026-12-06 13:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c2d5e8f1a34'
down_revision = '64e6ffb5dec2'
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

SQLITE = ('CREATE TRIGGER IF NOT EXISTS organisations_marks_insert AFTER INSERT ON organisations\n'
 'BEGIN INSERT OR REPLACE INTO organisation_changes (organisation_id, mark) VALUES (NEW.id, random()); END',
 'CREATE TRIGGER IF NOT EXISTS organisations_marks_update AFTER UPDATE ON organisations\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.id, NEW.id); END',
 'CREATE TRIGGER IF NOT EXISTS organisations_marks_delete AFTER DELETE ON organisations\n'
 'BEGIN DELETE FROM organisation_changes WHERE organisation_id = OLD.id; END',
 'CREATE TRIGGER IF NOT EXISTS people_marks_update AFTER UPDATE ON people\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN\n'
 '  (SELECT organisation_id FROM memberships WHERE person_id IN (OLD.id, NEW.id)); END',
 'CREATE TRIGGER IF NOT EXISTS people_marks_delete AFTER DELETE ON people\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN\n'
 '  (SELECT organisation_id FROM memberships WHERE person_id = OLD.id); END',
 'CREATE TRIGGER IF NOT EXISTS announcement_recipients_marks_insert AFTER INSERT ON announcement_recipients\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS announcement_recipients_marks_update AFTER UPDATE ON announcement_recipients\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS announcement_recipients_marks_delete AFTER DELETE ON announcement_recipients\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS announcements_marks_insert AFTER INSERT ON announcements\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS announcements_marks_update AFTER UPDATE ON announcements\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS announcements_marks_delete AFTER DELETE ON announcements\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS assignments_marks_insert AFTER INSERT ON assignments\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS assignments_marks_update AFTER UPDATE ON assignments\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS assignments_marks_delete AFTER DELETE ON assignments\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS availability_windows_marks_insert AFTER INSERT ON availability_windows\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS availability_windows_marks_update AFTER UPDATE ON availability_windows\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS availability_windows_marks_delete AFTER DELETE ON availability_windows\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS contacts_marks_insert AFTER INSERT ON contacts\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS contacts_marks_update AFTER UPDATE ON contacts\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS contacts_marks_delete AFTER DELETE ON contacts\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS contributions_marks_insert AFTER INSERT ON contributions\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS contributions_marks_update AFTER UPDATE ON contributions\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS contributions_marks_delete AFTER DELETE ON contributions\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS coordinator_sites_marks_insert AFTER INSERT ON coordinator_sites\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS coordinator_sites_marks_update AFTER UPDATE ON coordinator_sites\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS coordinator_sites_marks_delete AFTER DELETE ON coordinator_sites\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS cover_asks_marks_insert AFTER INSERT ON cover_asks\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS cover_asks_marks_update AFTER UPDATE ON cover_asks\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS cover_asks_marks_delete AFTER DELETE ON cover_asks\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS cover_requests_marks_insert AFTER INSERT ON cover_requests\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS cover_requests_marks_update AFTER UPDATE ON cover_requests\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS cover_requests_marks_delete AFTER DELETE ON cover_requests\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS leaves_marks_insert AFTER INSERT ON leaves\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS leaves_marks_update AFTER UPDATE ON leaves\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS leaves_marks_delete AFTER DELETE ON leaves\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS load_warnings_marks_insert AFTER INSERT ON load_warnings\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS load_warnings_marks_update AFTER UPDATE ON load_warnings\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS load_warnings_marks_delete AFTER DELETE ON load_warnings\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS memberships_marks_insert AFTER INSERT ON memberships\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS memberships_marks_update AFTER UPDATE ON memberships\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS memberships_marks_delete AFTER DELETE ON memberships\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS monthly_reports_marks_insert AFTER INSERT ON monthly_reports\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS monthly_reports_marks_update AFTER UPDATE ON monthly_reports\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS monthly_reports_marks_delete AFTER DELETE ON monthly_reports\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS person_qualifications_marks_insert AFTER INSERT ON person_qualifications\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS person_qualifications_marks_update AFTER UPDATE ON person_qualifications\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS person_qualifications_marks_delete AFTER DELETE ON person_qualifications\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS qualification_reminders_marks_insert AFTER INSERT ON qualification_reminders\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS qualification_reminders_marks_update AFTER UPDATE ON qualification_reminders\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS qualification_reminders_marks_delete AFTER DELETE ON qualification_reminders\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS qualifications_marks_insert AFTER INSERT ON qualifications\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS qualifications_marks_update AFTER UPDATE ON qualifications\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS qualifications_marks_delete AFTER DELETE ON qualifications\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS rate_card_entries_marks_insert AFTER INSERT ON rate_card_entries\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS rate_card_entries_marks_update AFTER UPDATE ON rate_card_entries\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS rate_card_entries_marks_delete AFTER DELETE ON rate_card_entries\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS role_qualifications_marks_insert AFTER INSERT ON role_qualifications\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS role_qualifications_marks_update AFTER UPDATE ON role_qualifications\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS role_qualifications_marks_delete AFTER DELETE ON role_qualifications\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS roles_marks_insert AFTER INSERT ON roles\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS roles_marks_update AFTER UPDATE ON roles\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS roles_marks_delete AFTER DELETE ON roles\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS shift_offers_marks_insert AFTER INSERT ON shift_offers\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS shift_offers_marks_update AFTER UPDATE ON shift_offers\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS shift_offers_marks_delete AFTER DELETE ON shift_offers\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS shift_series_marks_insert AFTER INSERT ON shift_series\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS shift_series_marks_update AFTER UPDATE ON shift_series\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS shift_series_marks_delete AFTER DELETE ON shift_series\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS shifts_marks_insert AFTER INSERT ON shifts\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS shifts_marks_update AFTER UPDATE ON shifts\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS shifts_marks_delete AFTER DELETE ON shifts\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS sites_marks_insert AFTER INSERT ON sites\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS sites_marks_update AFTER UPDATE ON sites\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS sites_marks_delete AFTER DELETE ON sites\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS supervision_sessions_marks_insert AFTER INSERT ON supervision_sessions\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS supervision_sessions_marks_update AFTER UPDATE ON supervision_sessions\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS supervision_sessions_marks_delete AFTER DELETE ON supervision_sessions\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS supported_people_marks_insert AFTER INSERT ON supported_people\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS supported_people_marks_update AFTER UPDATE ON supported_people\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS supported_people_marks_delete AFTER DELETE ON supported_people\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS waiting_list_entries_marks_insert AFTER INSERT ON waiting_list_entries\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS waiting_list_entries_marks_update AFTER UPDATE ON waiting_list_entries\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS waiting_list_entries_marks_delete AFTER DELETE ON waiting_list_entries\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS webhook_endpoints_marks_insert AFTER INSERT ON webhook_endpoints\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = NEW.organisation_id; END',
 'CREATE TRIGGER IF NOT EXISTS webhook_endpoints_marks_update AFTER UPDATE ON webhook_endpoints\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id IN (OLD.organisation_id, '
 'NEW.organisation_id); END',
 'CREATE TRIGGER IF NOT EXISTS webhook_endpoints_marks_delete AFTER DELETE ON webhook_endpoints\n'
 'BEGIN UPDATE organisation_changes SET mark = random() WHERE organisation_id = OLD.organisation_id; END')

POSTGRESQL = ('CREATE OR REPLACE FUNCTION organisation_changed(org integer) RETURNS void LANGUAGE plpgsql AS $$\n'
 'DECLARE\n'
 "  flag text := 'volunteers.changed_' || org;\n"
 'BEGIN\n'
 '  IF org IS NULL OR current_setting(flag, true) = txid_current()::text THEN\n'
 '    RETURN;\n'
 '  END IF;\n'
 "  UPDATE organisation_changes SET mark = (random() * 9.2e18)::bigint WHERE organisation_id = org;\n"
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
 '    INSERT INTO organisation_changes (organisation_id, mark) VALUES (NEW.id, '
 "(random() * 9.2e18)::bigint)\n"
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
    op.create_table('organisation_changes',
                    sa.Column('organisation_id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('mark', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_organisation_changes')))
    bind = op.get_bind()
    statements = {'sqlite': SQLITE, 'postgresql': POSTGRESQL}.get(bind.dialect.name, ())
    for sql in statements:
        bind.exec_driver_sql(sql)
    mark = 'random()' if bind.dialect.name == 'sqlite' else '(random() * 9.2e18)::bigint'
    bind.exec_driver_sql(f'INSERT INTO organisation_changes (organisation_id, mark) SELECT id, {mark} FROM organisations')


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for name in ('organisations', 'people', *WATCHED):
            for event in ('insert', 'update', 'delete'):
                bind.exec_driver_sql(f'DROP TRIGGER IF EXISTS {name}_marks_{event}')
    elif bind.dialect.name == 'postgresql':
        for name in ('organisations', 'people', *WATCHED):
            bind.exec_driver_sql(f'DROP TRIGGER IF EXISTS {name}_marks ON {name}')
        bind.exec_driver_sql('DROP TRIGGER IF EXISTS organisations_marks_made ON organisations')
        for function in ('organisation_rows_changed()', 'organisation_row_changed()', 'person_row_changed()',
                         'organisation_changed(integer)'):
            bind.exec_driver_sql(f'DROP FUNCTION IF EXISTS {function}')
    op.drop_table('organisation_changes')
