"""Licences: what each checkpoint's licence lets you do, per use case, with the clause behind it."""
import streamlit as st

from landscape.licences import DEFAULT_MAU, NOT_ADVICE
import ui
import ui_data
from ui import page_setup, sidebar_filters, snapshot_caption, download_buttons

MARK = {"yes": "✅ yes", "conditional": "⚠️ conditional", "no": "❌ no", "unknown": "❔ unknown"}

page_setup("Licences by use case")
st.warning(NOT_ADVICE, icon=":material/gavel:")
st.write("Licences differ inside families (Qwen2.5-3B and -72B, DeepSeek V3 vs V3-0324), and derivatives "
         "carry their base model's terms too (R1 distills on Llama). Each cell is the most restrictive "
         "answer over every licence that applies to that checkpoint; *conditional* means allowed subject "
         "to further terms (user cap, branding, naming, use policy); *unknown* means we have not read the terms.")

filters = sidebar_filters()
n = st.number_input("N for \"more than N monthly active users\"", min_value=0, max_value=10**12,
                    value=int(filters.mau or DEFAULT_MAU), step=1_000_000, key="lic_mau",
                    help="Llama licences require a separate licence from Meta above 700M MAU; "
                         "the Qwen licence (Qwen2.5-72B) above 100M.")
lv = ui_data.licence_view(filters=filters, mau=int(n), marks=tuple(MARK.items()))
if not lv["answers"]:
    st.info("No licence answers for the filtered models. Run `python -m etl refresh --source licences`, "
            "or widen the filters.")
    st.stop()

wide, labels = lv["wide"], lv["labels"]

st.subheader("Models × use cases")
st.caption(f"{wide['name'].nunique()} models, grouped by family. Pick a model below to read the clause behind each cell.")
ui.table(wide, links=True, key="lic_matrix", width="stretch",
             column_config={"page": ui.model_link_column(), **{uc: st.column_config.TextColumn(label) for uc, label in labels.items()},
                            "licence_id": st.column_config.TextColumn("licence"),
                            "model_id": st.column_config.TextColumn("model id")})
download_buttons(wide, "licence-matrix", key="lic_matrix")

st.subheader("The clause behind each cell")
names = wide.drop_duplicates("model_id")
options = dict(zip(names["model_id"], names["name"] + " (" + names["family"] + ")"))
ui.bind_param("lic_model", "model", next(iter(options), None), parse=ui.choice_parser(options, "model"))
ui.param_notices()
pick = ui.model_picker("Model", options, key="lic_model")
detail = ui_data.licence_matrix(filters=filters, mau=int(n), model_id=pick)
detail["use case"] = detail["use_case"].map(labels)
detail["answer"] = detail["answer"].map(MARK).fillna(detail["answer"])
st.caption(f"Terms applied: {detail['terms'].iloc[0]}" if len(detail) else "")
st.dataframe(detail[["use case", "answer", "clause", "source_url"]], hide_index=True, key="lic_detail",
             width="stretch",
             column_config={"source_url": st.column_config.LinkColumn("licence text"),
                            "clause": st.column_config.TextColumn("clause (summary, not a quotation)", width="large")})

st.subheader("Licence facts")
facts = ui_data.licence_facts()
st.dataframe(facts, hide_index=True, key="lic_facts", width="stretch",
             column_config={"source_url": st.column_config.LinkColumn("primary text"),
                            "use_policy_url": st.column_config.LinkColumn("use policy"),
                            "primary_text_read": st.column_config.TextColumn("primary text read?"),
                            "mau_threshold": st.column_config.NumberColumn("MAU threshold", format="%d")})
st.caption("`primary text read?` says whether we read the licence text itself (yes), grepped its key clauses "
           "(partial), or rely on secondary sources (no). Curated in `data/licences.yaml`.")
snapshot_caption()

ui.share_link()
