"""initial schema: documents, mentions, transfers

Revision ID: 0001
Revises:
Create Date: 2026-11-22 04:05:52.499119
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("source", sa.String(length=2000), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "done",
                "failed",
                "unsupported-language",
                name="document_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["documents.id"],
            name=op.f("fk_documents_duplicate_of_id_documents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_documents_content_hash")),
        sa.UniqueConstraint("url", name=op.f("uq_documents_url")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_duplicate_of_id"), ["duplicate_of_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_external_id"), ["external_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_published"), ["published"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_status"), ["status"], unique=False)

    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier", sa.String(length=64), nullable=True),
        sa.Column("recipient", sa.String(length=64), nullable=True),
        sa.Column("system", sa.String(length=200), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("systems", sa.JSON(), nullable=False),
        sa.Column("stages", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("actors", sa.JSON(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=True),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.Column("first_reported", sa.Date(), nullable=True),
        sa.Column("last_reported", sa.Date(), nullable=True),
        sa.Column("sources", sa.Integer(), nullable=False),
        sa.Column("mention_count", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transfers_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfers_first_date"), ["first_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfers_last_date"), ["last_date"], unique=False)
        batch_op.create_index("ix_transfers_pair", ["supplier", "recipient", "system"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfers_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfers_system"), ["system"], unique=False)

    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("supplier", sa.String(length=64), nullable=True),
        sa.Column("recipient", sa.String(length=64), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("system", sa.String(length=200), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("value_amount", sa.Float(), nullable=True),
        sa.Column("value_currency", sa.String(length=3), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("extras", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_mentions_document_id_documents"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"], ["transfers.id"], name=op.f("fk_mentions_transfer_id_transfers"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentions")),
    )
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentions_date_start"), ["date_start"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentions_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentions_recipient"), ["recipient"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentions_supplier"), ["supplier"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentions_system"), ["system"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentions_transfer_id"), ["transfer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentions_type"), ["type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentions_type"))
        batch_op.drop_index(batch_op.f("ix_mentions_transfer_id"))
        batch_op.drop_index(batch_op.f("ix_mentions_system"))
        batch_op.drop_index(batch_op.f("ix_mentions_supplier"))
        batch_op.drop_index(batch_op.f("ix_mentions_recipient"))
        batch_op.drop_index(batch_op.f("ix_mentions_document_id"))
        batch_op.drop_index(batch_op.f("ix_mentions_date_start"))

    op.drop_table("mentions")
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfers_system"))
        batch_op.drop_index(batch_op.f("ix_transfers_status"))
        batch_op.drop_index("ix_transfers_pair")
        batch_op.drop_index(batch_op.f("ix_transfers_last_date"))
        batch_op.drop_index(batch_op.f("ix_transfers_first_date"))
        batch_op.drop_index(batch_op.f("ix_transfers_category"))

    op.drop_table("transfers")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_status"))
        batch_op.drop_index(batch_op.f("ix_documents_source"))
        batch_op.drop_index(batch_op.f("ix_documents_published"))
        batch_op.drop_index(batch_op.f("ix_documents_external_id"))
        batch_op.drop_index(batch_op.f("ix_documents_duplicate_of_id"))

    op.drop_table("documents")
