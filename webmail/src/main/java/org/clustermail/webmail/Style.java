package org.clustermail.webmail;

/** The one style sheet of the web-mail pages (served as {@code /style.css}; the pages allow no other). */
final class Style {

    private Style() {
    }

    static final String CSS = """
            body { font-family: system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
            header { display: flex; gap: 1em; align-items: center; padding: .5em 1em;
                     background: #24364b; color: #fff; }
            header .brand { font-weight: 600; }
            header .node { opacity: .7; font-size: .9em; }
            header .write { margin-left: auto; color: #fff; }
            header .user { opacity: .9; }
            a.button { margin-right: .6em; }
            form.search { margin: .3em 0 .6em; }
            .compose form { display: grid; gap: .6em; max-width: 50em; }
            .compose label { display: grid; gap: .2em; }
            .compose textarea { font-family: ui-monospace, monospace; }
            header button { background: none; border: 1px solid #fff8; color: #fff; border-radius: 4px;
                            cursor: pointer; }
            main { padding: 1em; }
            form.inline { display: inline; }
            .login { max-width: 22em; margin: 3em auto; display: grid; gap: .8em; }
            .login form { display: grid; gap: .6em; }
            .login label { display: grid; gap: .2em; }
            .error { color: #a00; }
            .columns { display: flex; gap: 1.5em; align-items: flex-start; }
            .folders ul { list-style: none; padding: 0; margin: 0; min-width: 9em; }
            .folders li { padding: .25em .4em; }
            .folders li.current { background: #dde6f0; border-radius: 4px; font-weight: 600; }
            .unread { background: #24364b; color: #fff; border-radius: 8px; padding: 0 .45em; font-size: .8em; }
            .list, .message { flex: 1; min-width: 0; }
            table.messages { width: 100%; border-collapse: collapse; }
            table.messages td, table.messages th { text-align: left; padding: .35em .5em;
                                                   border-bottom: 1px solid #e4e4e4; }
            table.messages tr.unseen td { font-weight: 600; }
            .preview { display: block; font-weight: normal; color: #666; font-size: .85em; overflow: hidden;
                       text-overflow: ellipsis; white-space: nowrap; max-width: 40em; }
            .headers { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; }
            .headers dt { color: #666; }
            .headers dd { margin: 0; }
            .body { margin-top: 1em; padding: 1em; background: #fff; border: 1px solid #e4e4e4; overflow-x: auto; }
            pre.plain { white-space: pre-wrap; font-family: ui-monospace, monospace; margin: 0; }
            .attachments { margin-top: 1em; }
            .type, .size { color: #666; font-size: .85em; }
            """;
}
