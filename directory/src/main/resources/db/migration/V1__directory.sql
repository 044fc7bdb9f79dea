-- The directory schema, one script for H2, PostgreSQL and MariaDB. Dialect differences are Flyway placeholders
-- set by org.clustermail.directory.sql.Database: ${identity} (an auto-numbered BIGINT) and ${tableOptions}.
-- Times are BIGINT milliseconds since the epoch (UTC): the three vendors disagree on TIMESTAMP semantics.

CREATE TABLE domains (
    name        VARCHAR(253) NOT NULL PRIMARY KEY,
    created_ms  BIGINT       NOT NULL
)${tableOptions};

-- serial numbers the mailbox directories (serial mod 300), so it is never reused.
CREATE TABLE users (
    serial          ${identity} PRIMARY KEY,
    address         VARCHAR(320) NOT NULL,
    domain_name     VARCHAR(253) NOT NULL,
    password_hash   VARCHAR(255) NOT NULL,
    primary_node    INT          NOT NULL,
    secondary_node  INT,
    state           VARCHAR(16)  NOT NULL,
    created_ms      BIGINT       NOT NULL,
    CONSTRAINT users_address_uq UNIQUE (address),
    CONSTRAINT users_domain_fk FOREIGN KEY (domain_name) REFERENCES domains (name)
)${tableOptions};

CREATE TABLE user_info (
    serial          BIGINT        NOT NULL PRIMARY KEY,
    display_name    VARCHAR(1000) NOT NULL,
    postal_address  VARCHAR(1000) NOT NULL,
    phone           VARCHAR(1000) NOT NULL,
    CONSTRAINT user_info_user_fk FOREIGN KEY (serial) REFERENCES users (serial) ON DELETE CASCADE
)${tableOptions};

CREATE TABLE user_fields (
    serial       BIGINT        NOT NULL,
    field_name   VARCHAR(64)   NOT NULL,
    field_value  VARCHAR(1000) NOT NULL,
    PRIMARY KEY (serial, field_name),
    CONSTRAINT user_fields_user_fk FOREIGN KEY (serial) REFERENCES users (serial) ON DELETE CASCADE
)${tableOptions};

-- Written in batches, asynchronously, by every node; never updated.
CREATE TABLE logon_attempts (
    id              ${identity} PRIMARY KEY,
    login           VARCHAR(320) NOT NULL,
    attempted_ms    BIGINT       NOT NULL,
    protocol        VARCHAR(32)  NOT NULL,
    remote_address  VARCHAR(64)  NOT NULL,
    outcome         VARCHAR(16)  NOT NULL,
    reason          VARCHAR(64)  NOT NULL
)${tableOptions};

CREATE INDEX logon_attempts_login ON logon_attempts (login, attempted_ms);

-- The change log every node's cache polls. change_counter's single row is updated first in each writing
-- transaction, so writers are serialised and change ids become visible in commit order (no gaps to wait for).
CREATE TABLE change_counter (
    id           INT    NOT NULL PRIMARY KEY,
    last_change  BIGINT NOT NULL
)${tableOptions};

INSERT INTO change_counter (id, last_change) VALUES (1, 0);

CREATE TABLE directory_changes (
    change_id   BIGINT       NOT NULL PRIMARY KEY,
    kind        VARCHAR(8)   NOT NULL,
    subject     VARCHAR(320) NOT NULL,
    changed_ms  BIGINT       NOT NULL
)${tableOptions};
