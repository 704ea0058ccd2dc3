"""Every word a reader sees, in English and Spanish: labels, vocabulary values, narrative, dates.

One module holds every translation, so that a report is wholly in the reader's
language and a missing translation is caught in one place (``tests/test_i18n.py``).

- :func:`label` — chart titles, axis and legend titles, table headers, summary keys.
- :func:`term` — a vocabulary value of the case's data package (phase, event type,
  relation, actor type, side, claim basis, how people are known, contradiction check,
  quantity, qualifier, place kind), keyed by the stored id.
- :func:`text` — the narrative blocks of the notebooks (Markdown, with ``{placeholders}``).
- :func:`date` / :func:`month_year` — dates with Spanish month names ("22 abr 2018").
- :func:`vega_date` — a Vega expression that writes a date axis label in the language
  (no locale file to load: the same in SVG, PNG and interactive charts).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

LANGS = ("en", "es")

MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
}
MONTHS_LONG = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
}

# key -> (English, Spanish)
LABELS: dict[str, tuple[str, str]] = {
    # chart titles
    "timeline": ("What happened, phase by phase", "Qué pasó, fase por fase"),
    "timeline_context": ("The whole record", "Todo el registro"),
    "timeline_detail": ("The main window, day by day", "La ventana principal, día a día"),
    "gantt": ("Convoys: departure to arrival", "Convoyes: de la salida a la llegada"),
    "cumulative": ("People who had left, over time (cumulative, low-high band)", "Personas que habían salido (acumulado, banda mín.-máx.)"),
    "by_destination": ("People by destination", "Personas por destino"),
    "map": ("Routes: where the movements went", "Rutas: adónde fueron los movimientos"),
    "claims": ("What each source claimed", "Qué afirmó cada fuente"),
    "network": ("Who dealt with whom", "Quién trató con quién"),
    "adjacency": ("Ties between actors (sum of signs)", "Vínculos entre actores (suma de signos)"),
    "centrality": ("Betweenness centrality", "Centralidad de intermediación"),
    "relations_time": ("Relations over time", "Relaciones en el tiempo"),
    # axis, legend and tooltip titles
    "date": ("Date", "Fecha"),
    "phase": ("Phase", "Fase"),
    "event_type": ("Event", "Hecho"),
    "summary": ("Summary", "Resumen"),
    "sources": ("Sources", "Fuentes"),
    "movement": ("Movement", "Movimiento"),
    "destination": ("Destination", "Destino"),
    "origin": ("Origin", "Origen"),
    "via": ("Via", "Por"),
    "depart": ("Departure", "Salida"),
    "arrive": ("Arrival", "Llegada"),
    "people": ("People", "Personas"),
    "buses": ("Buses", "Autobuses"),
    "fighters": ("Fighters", "Combatientes"),
    "civilians": ("Civilians", "Civiles"),
    "people_range": ("People (low-high)", "Personas (mín.-máx.)"),
    "buses_range": ("Buses (low-high)", "Autobuses (mín.-máx.)"),
    "basis": ("People figure", "Cifra de personas"),
    "claim_basis": ("Claim", "Afirmación"),
    "cumulative_people": ("People who had left", "Personas que habían salido"),
    "value": ("Figure claimed", "Cifra afirmada"),
    "subject": ("Subject", "Objeto"),
    "quantity": ("Quantity", "Magnitud"),
    "claimed_by": ("Claimed by", "Afirmado por"),
    "claim": ("Claim", "Afirmación"),
    "claims_n": ("Same claim", "Misma afirmación"),
    "reconciled": ("Reconciled low-high", "Rango conciliado"),
    "actor": ("Actor", "Actor"),
    "target": ("Target", "Destinatario"),
    "relation": ("Relation", "Relación"),
    "sign": ("Sign", "Signo"),
    "ties": ("Partners", "Interlocutores"),
    "tie_relations": ("Relations on the tie", "Relaciones del vínculo"),
    "side": ("Side", "Bando"),
    "actor_type": ("Type", "Tipo"),
    "betweenness": ("Betweenness", "Intermediación"),
    "count": ("Relations", "Relaciones"),
    "events": ("Events", "Hechos"),
    "scenario": ("scenario", "escenario"),
    "low": ("low", "mínimo"),
    "best": ("best", "central"),
    "high": ("high", "máximo"),
    "other": ("other", "otros"),
    "total": ("whole case", "todo el caso"),
    "from_place": ("from {place}", "desde {place}"),
    "at_place": ("{place} itself", "{place} (el lugar)"),
    "n_events": ("{n:,} events", "{n:,} hechos"),
    "shown_of": ("the {shown} largest of {total:,}", "los {shown} mayores de {total:,}"),
    "left_out": (
        "Not on the map (no coordinates): {items}",
        "Fuera del mapa (sin coordenadas): {items}",
    ),
    "placed_within": ("{place} drawn at {within}", "{place} dibujado en {within}"),
    "more_places": ("and {n} more places", "y {n} lugares más"),
    "approx_place": ("hollow: approximate place", "hueco: lugar aproximado"),
    "map_credit": (
        "Outlines: Natural Earth (public domain), via world-atlas 2.0.2",
        "Contornos: Natural Earth (dominio público), vía world-atlas 2.0.2",
    ),
    "unlabelled": ("Not labelled: {names}", "Sin etiqueta: {names}"),
    "directed_note": ("arrows: directed ties", "flechas: vínculos dirigidos"),
    "drawn_of": (
        "{shown} of {total} actors drawn: the most connected, and only the ties among them",
        "{shown} de {total} actores dibujados: los que tienen más vínculos, y solo los vínculos entre ellos",
    ),
    "central_of": ("the {shown} most central of {total} actors", "los {shown} actores más centrales de {total}"),
    "no_ties": ("no relation to draw", "ninguna relación que dibujar"),
    "group_of": ("{name} and {n} more", "{name} y {n} más"),
    "undated_left_out": ("{n} undated relation(s) left out", "{n} relación(es) sin fecha fuera del gráfico"),
    "unknown": ("unknown", "desconocido"),
    "yes": ("yes", "sí"),
    "no": ("no", "no"),
    "and": ("and", "y"),
    "more": ("… {n} more", "… {n} más"),
    # table headers
    "when": ("When", "Cuándo"),
    "where": ("Where", "Dónde"),
    "what": ("What", "Qué"),
    "first_day": ("First day", "Primer día"),
    "last_day": ("Last day", "Último día"),
    "low_col": ("Low", "Mínimo"),
    "best_col": ("Best", "Central"),
    "high_col": ("High", "Máximo"),
    "n_claims": ("Claims", "Afirmaciones"),
    "claim_ids": ("Claims", "Afirmaciones"),
    "source_ids": ("Sources", "Fuentes"),
    "check": ("Check", "Comprobación"),
    "agreement_name": ("Agreement", "Acuerdo"),
    "stage": ("Stage", "Etapa"),
    "parties": ("Parties", "Partes"),
    "third_parties": ("Mediators and guarantors", "Mediadores y garantes"),
    "term": ("Term", "Término"),
    "provision": ("What the sources say", "Lo que dicen las fuentes"),
    "no_terms": ("(no terms in the sources)", "(las fuentes no dan sus términos)"),
    "measure": ("Measure", "Medida"),
    "high_open": ("Open above (some source says 'at least')", "Abierto por arriba (alguna fuente dice «al menos»)"),
    "people_basis": ("How people are known (movements)", "Cómo se conocen las personas (movimientos)"),
    "plan_vs_outcome": (
        "Announced figures or dates that differ from the reported ones",
        "Cifras o fechas anunciadas que difieren de las informadas",
    ),
    "summary_cases": ("One entry per case: {cases}.", "Una entrada por caso: {cases}."),
    "first_agreement": ("First agreement", "Primer acuerdo"),
    "last_departure": (
        "Last departure (or arrival, where no departure is dated)",
        "Última salida (o llegada, si la salida no tiene fecha)",
    ),
    "days_agreement_to_last_departure": ("Days from first agreement to last departure", "Días del primer acuerdo a la última salida"),
    "people_claimed": ("People, headline claims (low / best / high)", "Personas, cifras globales (mín. / central / máx.)"),
    "people_movements": ("People, sum of the movements (low / best / high)", "Personas, suma de los movimientos (mín. / central / máx.)"),
    "buses_claimed": ("Buses, headline claims (low / best / high)", "Autobuses, cifras globales (mín. / central / máx.)"),
    "buses_movements": ("Buses, sum of the movements (low / best / high)", "Autobuses, suma de los movimientos (mín. / central / máx.)"),
    "people_originators": ("Independent originators of the people headline", "Originadores independientes de la cifra global de personas"),
    "buses_originators": ("Independent originators of the buses headline", "Originadores independientes de la cifra global de autobuses"),
    "contradictions_n": ("Contradictions", "Contradicciones"),
    "mediators": ("Mediators and guarantors", "Mediadores y garantes"),
    "network_actors": ("Actors with a tie", "Actores con algún vínculo"),
    "network_relations": ("Relations", "Relaciones"),
    "share": ("Share of people", "Proporción de personas"),
    "compare_people": (
        "People who left: headline claims and the sum of the movements",
        "Personas que salieron: cifras globales y suma de los movimientos",
    ),
    "compare_destinations": ("Where people went (share of the best figures)", "Adónde fueron (proporción de las cifras centrales)"),
    "compare_contradictions": ("Contradictions by kind", "Contradicciones por tipo"),
    "headline_kind": ("headline claims", "cifras globales"),
    "movements_sum": ("sum of the movements", "suma de los movimientos"),
    "figure_kind": ("Figure", "Cifra"),
    "gap": ("Gap", "Diferencia"),
    "description": ("What disagrees", "Qué no cuadra"),
    "contradiction_id": ("Id", "Id"),
    "degree": ("Partners", "Interlocutores"),
    "eigenvector": ("Eigenvector", "Vector propio"),
    "broker": ("Broker", "Intermediario"),
    "community": ("Community", "Comunidad"),
    "relations": ("Relations", "Relaciones"),
    "name": ("Name", "Nombre"),
    "triad": ("Triad", "Tríada"),
    "balanced": ("Balanced", "Equilibrada"),
    "signs": ("Signs", "Signos"),
    "from_phase": ("From phase", "De la fase"),
    "to_phase": ("To phase", "A la fase"),
    "gained": ("Ties gained", "Vínculos ganados"),
    "lost": ("Ties lost", "Vínculos perdidos"),
    "jaccard": ("Jaccard similarity", "Similitud de Jaccard"),
    "departures": ("Departures", "Salidas"),
    "arrivals": ("Arrivals", "Llegadas"),
    "people_departed": ("People departing", "Personas que salen"),
    "people_arrived": ("People arriving", "Personas que llegan"),
    "movements_departed": ("Movements departing", "Movimientos que salen"),
    "movements_arrived": ("Movements arriving", "Movimientos que llegan"),
    "relation_id": ("Id", "Id"),
    "source_name": ("From", "De"),
    "target_name": ("To", "A"),
    "start": ("Start", "Inicio"),
    # summary keys
    "case": ("Case", "Caso"),
    "best_rule": ("Rule for the best figure", "Regla de la cifra central"),
    "start_date": ("First day kept", "Primer día considerado"),
    "end_date": ("Last day kept", "Último día considerado"),
    "scenario_people": ("People, chosen scenario", "Personas, escenario elegido"),
    "scenario_buses": ("Buses, chosen scenario", "Autobuses, escenario elegido"),
    "headline_claims": ("Headline figures for the whole case", "Cifras globales del caso"),
    "convoys": ("Movements", "Movimientos"),
    "imputed_movements": ("Movements with people imputed from buses", "Movimientos con personas imputadas por autobuses"),
    "people_per_bus": ("People per bus", "Personas por autobús"),
    "first_departure": ("First departure", "Primera salida"),
    "last_arrival": ("Last arrival", "Última llegada"),
    "contradictions": ("Contradictions", "Contradicciones"),
    "first_event": ("First event", "Primer hecho"),
    "last_event": ("Last event", "Último hecho"),
    "events_by_phase": ("Events by phase", "Hechos por fase"),
    "actors": ("Actors with a tie", "Actores con algún vínculo"),
    "top_betweenness": ("Most between", "Mayor intermediación"),
    "brokers": ("Brokers", "Intermediarios"),
    "communities": ("Communities", "Comunidades"),
    "balanced_share": ("Share of balanced triads", "Proporción de tríadas equilibradas"),
    "triads": ("Signed triads", "Tríadas con signo"),
    "unbalanced_triads": ("Unbalanced triads", "Tríadas desequilibradas"),
    "phases": ("Phases", "Fases"),
    "phase_changes": ("Changes between phases", "Cambios entre fases"),
    "summary_file": ("All figures: {link}", "Todas las cifras: {link}"),
    "count_of": ("{n}", "{n}"),
    "median": ("the median of the claims", "la mediana de las afirmaciones"),
    "prefer": ("the figure of {source}", "la cifra de {source}"),
    "none": ("none", "ninguno"),
    "no_headline": ("none: no source gives a figure for the whole case", "ninguna: ninguna fuente da una cifra para todo el caso"),
    "figure": ("Figure", "Cifra"),
    "whole_record": ("the whole record", "todo el registro"),
}

# vocabulary kind -> stored value -> (English, Spanish)
VOCAB: dict[str, dict[str, tuple[str, str]]] = {
    "phase": {
        "background": ("background", "antecedentes"),
        "escalation": ("escalation", "escalada"),
        "negotiation": ("negotiation", "negociación"),
        "surrender": ("surrender", "rendición"),
        "evacuation": ("evacuation", "evacuación"),
        "aftermath": ("aftermath", "después"),
    },
    "event_type": {
        "ceasefire": ("ceasefire", "alto el fuego"),
        "offensive": ("offensive", "ofensiva"),
        "attack": ("attack", "ataque"),
        "clash": ("clash", "enfrentamiento"),
        "coalition_formed": ("coalition formed", "coalición formada"),
        "ultimatum": ("ultimatum", "ultimátum"),
        "negotiation": ("negotiation", "negociación"),
        "refusal": ("refusal", "rechazo"),
        "agreement": ("agreement", "acuerdo"),
        "surrender": ("surrender", "rendición"),
        "weapons_handover": ("weapons handover", "entrega de armas"),
        "convoy_departure": ("convoy departure", "salida de convoy"),
        "convoy_arrival": ("convoy arrival", "llegada de convoy"),
        "killing": ("killing", "asesinato"),
        "territory_regained": ("territory regained", "territorio recuperado"),
        "flag_raised": ("flag raised", "bandera izada"),
        "materiel_recovered": ("materiel recovered", "material recuperado"),
        "pledge": ("pledge", "compromiso"),
        "announcement": ("announcement", "anuncio"),
    },
    "relation": {
        "evacuated_to": ("evacuated to", "evacuados hacia"),
        "ceasefire_with": ("ceasefire with", "alto el fuego con"),
        "fought": ("fought", "combatió a"),
        "attacked": ("attacked", "atacó a"),
        "formed": ("formed", "formó"),
        "ultimatum_to": ("ultimatum to", "ultimátum a"),
        "negotiated_with": ("negotiated with", "negoció con"),
        "agreed_with": ("agreed with", "acordó con"),
        "surrendered_to": ("surrendered to", "se rindió a"),
        "member_of": ("member of", "miembro de"),
        "led": ("led", "dirigió"),
        "rejected": ("rejected", "rechazó"),
        "denied_coordination_with": ("denied coordination with", "negó coordinarse con"),
        "killed": ("killed", "mató a"),
        "pledged_to": ("pledged to", "se comprometió con"),
        "mediated": ("mediated", "medió"),
        "announced": ("announced", "anunció"),
        "controls": ("controls", "controla"),
    },
    "actor_type": {
        "state force": ("state force", "fuerza estatal"),
        "government": ("government", "gobierno"),
        "intelligence": ("intelligence", "inteligencia"),
        "foreign state": ("foreign state", "Estado extranjero"),
        "media": ("media", "medio de comunicación"),
        "rebel group": ("rebel group", "grupo rebelde"),
        "rebel coalition": ("rebel coalition", "coalición rebelde"),
        "jihadist group": ("jihadist group", "grupo yihadista"),
        "committee": ("committee", "comité"),
        "humanitarian organisation": ("humanitarian organisation", "organización humanitaria"),
        "person": ("person", "persona"),
        "unidentified": ("unidentified", "no identificado"),
    },
    "side": {
        "government": ("government", "gobierno"),
        "rebel": ("rebels", "rebeldes"),
        "other": ("other", "otro"),
        "unknown": ("unknown", "desconocido"),
    },
    "claim_basis": {
        "reported": ("reported", "informada"),
        "expected": ("expected", "prevista"),
    },
    "people_basis": {
        "claimed": ("claimed", "afirmada"),
        "derived": ("fighters + civilians", "combatientes + civiles"),
        "imputed": ("imputed from buses", "imputada por autobuses"),
        "unknown": ("unknown", "desconocida"),
    },
    "check": {
        "parts_vs_total": ("movements against the total", "movimientos frente al total"),
        "places_vs_within": ("a place against the places inside it", "un lugar frente a los lugares que contiene"),
        "origin_vs_movements": ("an origin against its movements", "un origen frente a sus movimientos"),
        "composition": ("fighters + civilians against people", "combatientes + civiles frente a personas"),
        "source_composition": ("one source's own figures", "las cifras de una misma fuente"),
        "people_vs_fighters": ("fewer people than fighters", "menos personas que combatientes"),
        "convoy_count": ("number of convoys", "número de convoyes"),
        "disagreement": ("sources disagree", "las fuentes discrepan"),
        "date": ("dates disagree", "las fechas discrepan"),
        "departure_after_arrival": ("departure after arrival", "salida posterior a la llegada"),
        "plan_vs_outcome": ("announced against reported", "anunciado frente a informado"),
    },
    "quantity": {
        "people": ("people", "personas"),
        "fighters": ("fighters", "combatientes"),
        "civilians": ("civilians", "civiles"),
        "buses": ("buses", "autobuses"),
        "convoys": ("convoys", "convoyes"),
        "tanks": ("tanks", "tanques"),
        "vehicles": ("vehicles", "vehículos"),
        "killed": ("killed", "muertos"),
        "wounded": ("wounded", "heridos"),
        "residents": ("residents", "residentes"),
        "distance_km": ("distance (km)", "distancia (km)"),
        "date": ("date", "fecha"),
        "depart_date": ("departure date", "fecha de salida"),
        "arrive_date": ("arrival date", "fecha de llegada"),
        "date_range": ("dates", "fechas"),
        "destination": ("destination", "destino"),
        "actors": ("actors", "actores"),
        "terms": ("terms", "condiciones"),
        "named_person": ("person named", "persona nombrada"),
        "note": ("note", "nota"),
    },
    "qualifier": {
        "exact": ("exact", "exacta"),
        "about": ("about", "aproximada"),
        "between": ("between", "entre"),
        "about between": ("about between", "aproximadamente entre"),
        "at least": ("at least", "al menos"),
        "more than": ("more than", "más de"),
        "at most": ("at most", "como mucho"),
        "less than": ("less than", "menos de"),
        "unspecified": ("unspecified", "sin precisar"),
    },
    "place_kind": {
        "town": ("town", "localidad"),
        "district": ("district", "distrito"),
        "region": ("region", "región"),
        "camp": ("camp", "campamento"),
        "crossing": ("crossing", "paso fronterizo"),
    },
    "sign": {"-1": ("hostile", "hostil"), "0": ("neutral", "neutral"), "1": ("cooperative", "cooperativo")},
    "scenario": {"low": ("low", "mínimo"), "best": ("best", "central"), "high": ("high", "máximo")},
}

# Narrative blocks of the notebooks (Markdown). Facts come from the case through placeholders.
TEXTS: dict[str, tuple[str, str]] = {
    "timeline.title": ("# {case}: what happened, phase by phase", "# {case}: qué pasó, fase por fase"),
    "timeline.intro": (
        "This report tells the story of the case from its curated event tables: {n_events} events from {first} to {last}, "
        "in {n_phases} phases. Every row cites its sources (the article's numbered references appear as `<source>-rN`).",
        "Este informe cuenta el caso a partir de sus tablas de hechos: {n_events} hechos entre el {first} y el {last}, "
        "en {n_phases} fases. Cada fila cita sus fuentes (las referencias numeradas del artículo aparecen como `<fuente>-rN`).",
    ),
    "timeline.phases": (
        "## The phases\n\nEach phase spans the days of its events; month- and year-precision events span the whole month or year.",
        "## Las fases\n\nCada fase abarca los días de sus hechos; los hechos fechados solo por mes o año abarcan el mes o el año entero.",
    ),
    "timeline.chart": (
        "The upper strip shows the whole record as context; the lower chart shows the case's main window, {window}, "
        "day by day (the span of every phase after the background).",
        "La franja superior muestra todo el registro como contexto; el gráfico inferior, la ventana principal del caso, "
        "{window}, día a día (el periodo de todas las fases posteriores a los antecedentes).",
    ),
    "timeline.events": (
        "## Event by event\n\nThe full record, with the sources behind each line. Where sources date an event differently, "
        "the table keeps one date and the evacuation-flows report lists the disagreement.",
        "## Hecho a hecho\n\nEl registro completo, con las fuentes de cada línea. Cuando las fuentes fechan un hecho de forma distinta, "
        "la tabla conserva una fecha y el informe de flujos de evacuación recoge la discrepancia.",
    ),
    "timeline.agreements": (
        "## The agreements and their terms\n\nEach agreement of the case with its date, stage, parties, mediators and guarantors, "
        "and every term the sources report, one row per term, with the documents that report it. Terms on which the sources "
        "disagree appear once for each source.",
        "## Los acuerdos y sus términos\n\nCada acuerdo del caso con su fecha, etapa, partes, mediadores y garantes, y cada "
        "término que recogen las fuentes, una fila por término, con los documentos que lo recogen. Los términos en que las "
        "fuentes discrepan aparecen una vez por fuente.",
    ),
    "compare.title": ("# Negotiated evacuations compared: {cases}", "# Evacuaciones negociadas comparadas: {cases}"),
    "compare.intro": (
        "Each case is reconciled on its own claims by the same rules (best figure: {rule}) and read as a network by the same "
        "measures, so the cases can be set side by side: how long from the first agreement to the last departure, how many "
        "left and how sure we are, who mediated, and what the record of each case contradicts.",
        "Cada caso se concilia con sus propias afirmaciones y las mismas reglas (cifra central: {rule}) y se lee como red con "
        "las mismas medidas, de modo que los casos pueden ponerse lado a lado: cuánto tiempo pasó del primer acuerdo a la "
        "última salida, cuántos salieron y con qué certeza, quién medió y qué contradice el registro de cada caso.",
    ),
    "compare.table": (
        "## Side by side\n\nHeadline claims are the sources' figures for the whole case; the sum of the movements adds up the "
        "convoys' own figures (with people derived or imputed where no source gives them). Independent originators count who "
        "first made the headline claims, not how many outlets repeated them.",
        "## Lado a lado\n\nLas cifras globales son las que las fuentes dan para todo el caso; la suma de los movimientos suma "
        "las cifras de cada convoy (con personas derivadas o imputadas donde ninguna fuente las da). Los originadores "
        "independientes cuentan quién hizo primero las afirmaciones globales, no cuántos medios las repitieron.",
    ),
    "compare.charts": (
        "## How many, where to, and what does not add up",
        "## Cuántos, adónde y qué no cuadra",
    ),
    "timeline.convoys": (
        "## The convoys on the calendar\n\nWhen each movement left and arrived, with its people as a best figure and a low-high range. "
        "The flows report explains where each figure comes from.",
        "## Los convoyes en el calendario\n\nCuándo salió y llegó cada movimiento, con sus personas como cifra central "
        "y un rango mínimo-máximo. "
        "El informe de flujos explica de dónde sale cada cifra.",
    ),
    "common.summary": ("## Summary", "## Resumen"),
    "network.title": ("# {case}: who dealt with whom", "# {case}: quién trató con quién"),
    "network.intro": (
        "The relations table records who negotiated, fought, surrendered, mediated and rejected, each tie dated, typed, "
        "signed (+1 cooperative, −1 hostile, 0 neutral) and sourced: {n_relations} relations among {n_actors} actors here. "
        "This report reads it as a network: the structure of the deal, the actors who bridged the camps, and how the ties "
        "changed from phase to phase.\n\nLayouts are computed once, on the whole record, with a fixed seed: the actors keep "
        "their places in every chart and every run. Shapes give the actor type and colours the side, the same in every chart; "
        "arrows point from the actor who acted to the one acted upon.",
        "La tabla de relaciones recoge quién negoció, combatió, se rindió, medió o rechazó; cada vínculo tiene fecha, tipo, "
        "signo (+1 cooperativo, −1 hostil, 0 neutral) y fuentes: aquí, {n_relations} relaciones entre {n_actors} actores. "
        "Este informe la lee como una red: la estructura del acuerdo, los actores que tendieron puentes entre los bandos y cómo "
        "cambiaron los vínculos de una fase a otra.\n\nLa disposición se calcula una sola vez, sobre todo el registro, con una "
        "semilla fija: cada actor conserva su lugar en todos los gráficos y ejecuciones. La forma indica el tipo de actor y el "
        "color el bando, igual en todos los gráficos; las flechas van del actor que actuó al que recibió la acción.",
    ),
    "network.position": (
        "## Who sits where\n\nPartners counts distinct partners; betweenness, the share of shortest paths through an actor. "
        "A **broker** has non-hostile ties to both the government and the rebel camp. Communities come from the Louvain method "
        "with a fixed seed.",
        "## Quién ocupa qué lugar\n\nInterlocutores cuenta los interlocutores distintos; la intermediación, la proporción de "
        "caminos más cortos que pasan por un actor. Un **intermediario** tiene vínculos no hostiles con el gobierno y con el "
        "bando rebelde. Las comunidades salen del método de Louvain con una semilla fija.",
    ),
    "network.balance": (
        '## Structural balance\n\nA triad of signed ties is balanced when "the enemy of my enemy is my friend" holds '
        "(the product of its signs is positive): {n_triads} signed triads here, {share} of them balanced. Ties that changed "
        "sign over time make triads unbalanced over the whole record: the phases below separate them.",
        "## Equilibrio estructural\n\nUna tríada de vínculos con signo está equilibrada cuando se cumple «el enemigo de mi "
        "enemigo es mi amigo» (el producto de sus signos es positivo): aquí hay {n_triads} tríadas con signo, {share} "
        "equilibradas. Los vínculos que cambiaron de signo con el tiempo desequilibran tríadas en el registro completo: las "
        "fases de abajo los separan.",
    ),
    "network.phases": (
        "## Phase by phase\n\nOne network per phase (a relation takes its event's phase), and what changed between consecutive "
        "phases: ties gained, ties lost, and the Jaccard similarity of the two sets of ties.",
        "## Fase a fase\n\nUna red por fase (cada relación toma la fase de su hecho) y lo que cambió entre fases consecutivas: "
        "vínculos ganados, vínculos perdidos y la similitud de Jaccard de ambos conjuntos de vínculos.",
    ),
    "network.phase_network": ("The {phase} phase alone.", "Solo la fase de {phase}."),
    "network.no_phase": ("No relation in this window has a phase.", "Ninguna relación de esta ventana tiene fase."),
    "network.no_triads": (
        "## Structural balance\n\nA triad is three actors tied to one another by signed ties. There is none here, so no "
        "share of balanced triads exists: it is unknown, not zero.",
        "## Equilibrio estructural\n\nUna tríada son tres actores unidos entre sí por vínculos con signo. Aquí no hay "
        "ninguna, así que no existe proporción de tríadas equilibradas: es desconocida, no cero.",
    ),
    "network.no_ego": (
        "## The most central actor and its partners\n\nNone: no actor has a relation in this selection.",
        "## El actor más central y sus interlocutores\n\nNinguno: ningún actor tiene relaciones en esta selección.",
    ),
    "network.ego": (
        "## The most central actor and its partners\n\n{actor}: its partners and the relations among them.",
        "## El actor más central y sus interlocutores\n\n{actor}: sus interlocutores y las relaciones entre ellos.",
    ),
    "network.interactive": (
        "Interactive mode: click an actor in the network, then read the selection in Python with "
        '`charts.selection("actor")` (a list of actor ids).',
        "Modo interactivo: haga clic en un actor de la red y lea la selección en Python con "
        '`charts.selection("actor")` (una lista de identificadores de actor).',
    ),
    "flows.title": ("# {case}: how many left, when, from where, to where", "# {case}: cuántos salieron, cuándo, de dónde y adónde"),
    "flows.intro": (
        "How sure can we be of each number? The sources disagree, so this report keeps every claim ({n_claims} claims from "
        "{n_documents} documents), reconciles them into low / best / high figures, fills gaps openly (people from buses, "
        "marked as imputed), lists every contradiction it finds, and then lays the movements on the calendar.\n\n"
        "- **low** and **high** are the smallest and largest figures the claims allow; **best** is {rule}.\n"
        '- A claim for only part of its subject ("five buses readied for the first group") can only raise the floor.\n'
        "- The chosen scenario (**{scenario}**) leads the charts; the others stay visible as a band.",
        "¿Hasta qué punto es segura cada cifra? Las fuentes discrepan, así que este informe conserva cada afirmación "
        "({n_claims} afirmaciones de {n_documents} documentos), las concilia en cifras mínima / central / máxima, rellena los "
        "huecos a la vista (personas a partir de autobuses, marcadas como imputadas), enumera cada contradicción que encuentra "
        "y sitúa los movimientos en el calendario.\n\n"
        "- **mínimo** y **máximo** son la cifra menor y la mayor que admiten las afirmaciones; **central** es {rule}.\n"
        "- Una afirmación sobre solo una parte de su objeto («cinco autobuses preparados para el primer grupo») solo puede "
        "elevar el mínimo.\n"
        "- El escenario elegido (**{scenario}**) encabeza los gráficos; los demás siguen visibles como banda.",
    ),
    "flows.claims": (
        "## What each source claimed\n\nEach mark is a claim, coloured by who made it (a state agency relayed by a wire "
        "service counts as the agency); squares were reported, circles expected; a number beside a mark counts identical "
        "claims. The grey bar is the reconciled low-high range, the tick the best figure.",
        "## Qué afirmó cada fuente\n\nCada marca es una afirmación, coloreada según quién la hizo (una agencia estatal "
        "difundida por una agencia de noticias cuenta como la agencia estatal); los cuadrados son cifras informadas y los "
        "círculos, previstas; un número junto a una marca cuenta afirmaciones idénticas. La barra gris es el rango conciliado "
        "y la raya, la cifra central.",
    ),
    "flows.headline": (
        "## The headline figures\n\nWhat the sources say of the case as a whole and of each origin.",
        "## Las cifras globales\n\nLo que dicen las fuentes del caso en su conjunto y de cada origen.",
    ),
    "flows.contradictions": (
        "## Where the record contradicts itself\n\n{n} contradictions, found by the checks of the flows model, not listed "
        "by hand: movement figures against the totals, fighters plus civilians against people, one origin against the whole, "
        "the number of convoys, sources disagreeing on one figure, and dates.",
        "## Dónde se contradice el registro\n\n{n} contradicciones, halladas por las comprobaciones del modelo de flujos, no "
        "enumeradas a mano: cifras de los movimientos frente a los totales, combatientes más civiles frente a personas, un "
        "origen frente al conjunto, el número de convoyes, fuentes que discrepan sobre una cifra y fechas.",
    ),
    "flows.movements": (
        "## Each movement\n\nPeople come from the claims where there are any (*claimed*), from fighters plus civilians "
        "(*fighters + civilians*), or from the buses times a people-per-bus ratio taken from the movements that report both "
        "(*imputed from buses*). {ratio}",
        "## Cada movimiento\n\nLas personas salen de las afirmaciones cuando las hay (*afirmada*), de combatientes más civiles "
        "(*combatientes + civiles*) o de los autobuses por una razón de personas por autobús tomada de los movimientos que "
        "informan de ambos (*imputada por autobuses*). {ratio}",
    ),
    "flows.ratio": (
        "Here that ratio is {low} to {high} people a bus (best {best}), from {n} movements.",
        "Aquí esa razón va de {low} a {high} personas por autobús (central {best}), a partir de {n} movimientos.",
    ),
    "flows.no_ratio": (
        "No movement reports both people and buses, so no figure is imputed.",
        "Ningún movimiento informa a la vez de personas y autobuses, así que no se imputa ninguna cifra.",
    ),
    "flows.interactive": (
        'Interactive mode: click a convoy, then read the selection in Python with `charts.selection("movement")` (a list of movement ids).',
        'Modo interactivo: haga clic en un convoy y lea la selección en Python con `charts.selection("movement")` '
        "(una lista de identificadores de movimiento).",
    ),
    "flows.over_time": (
        "## Over time\n\nDepartures and arrivals per day under the chosen scenario (movements without a date are left out of "
        "that column), then the people who had left, by departure date (arrival date where the departure is not known).",
        "## En el tiempo\n\nSalidas y llegadas por día en el escenario elegido (los movimientos sin fecha quedan fuera de esa "
        "columna) y, después, las personas que habían salido, por fecha de salida (de llegada si no se conoce la salida).",
    ),
    "flows.map": (
        "## Origins and destinations\n\nThe routes over Natural Earth outlines shipped with the package. Hollow points are "
        "approximate places. A place without coordinates is drawn at the place that contains it where that one has "
        "coordinates; the chart says which movements it cannot draw.",
        "## Orígenes y destinos\n\nLas rutas sobre los contornos de Natural Earth incluidos en el paquete. Los puntos huecos "
        "son lugares aproximados. Un lugar sin coordenadas se dibuja en el lugar que lo contiene si este las tiene; "
        "el gráfico indica qué movimientos no puede dibujar.",
    ),
    "flows.od": (
        "People from each origin (rows) to each destination (columns), chosen scenario.",
        "Personas de cada origen (filas) a cada destino (columnas), escenario elegido.",
    ),
}


def check_lang(lang: str) -> str:
    """``lang`` if it is a language of the reports; a ValueError otherwise."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'es', not {lang!r}")
    return lang


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[LANGS.index(check_lang(lang))]


def label(key: str, lang: str = "en", **values: Any) -> str:
    """A label in ``lang`` (``{placeholders}`` filled from ``values``); a KeyError names a missing key."""
    if key not in LABELS:
        raise KeyError(f"no translation for label {key!r}")
    out = _pick(LABELS[key], lang)
    return out.format(**values) if values else out


def term(kind: str, value: Any, lang: str = "en") -> str:
    """A vocabulary value of kind ``kind`` in ``lang``; missing values are 'unknown'; unknown values raise KeyError."""
    if value is None or (not isinstance(value, str | list | tuple) and pd.isna(value)):
        return label("unknown", lang)
    if kind not in VOCAB:
        raise KeyError(f"no vocabulary {kind!r}")
    key = str(int(value)) if kind == "sign" else str(value)
    if key not in VOCAB[kind]:
        raise KeyError(f"no translation for {kind} {value!r}")
    return _pick(VOCAB[kind][key], lang)


def terms(kind: str, lang: str = "en") -> dict[str, str]:
    """Every value of a vocabulary, stored id -> word in ``lang``."""
    return {k: _pick(v, lang) for k, v in VOCAB[kind].items()}


def text(key: str, lang: str = "en", **values: Any) -> str:
    """A narrative block (Markdown) in ``lang`` with its ``{placeholders}`` filled."""
    if key not in TEXTS:
        raise KeyError(f"no narrative text {key!r}")
    return _pick(TEXTS[key], lang).format(**values)


def _timestamp(value: Any) -> pd.Timestamp | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.rstrip("~").split("/")[0]
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(ts) else ts


def date(value: Any, lang: str = "en", precision: str = "day") -> str:
    """A date as a reader writes it: '22 Apr 2018' / '22 abr 2018', 'Apr 2018', '2018'; unknown dates as 'unknown'."""
    ts = _timestamp(value)
    if ts is None:
        return label("unknown", lang)
    if precision == "year":
        return str(ts.year)
    month = MONTHS[check_lang(lang)][ts.month - 1]
    if precision == "month":
        return f"{month} {ts.year}"
    return f"{ts.day} {month} {ts.year}"


def date_range(start: Any, end: Any, lang: str = "en", precision: str = "day") -> str:
    """'19 Apr 2018' for one day, '19–20 Apr 2018' or '30 Mar 2018 – 17 May 2018' for a span."""
    a, b = _timestamp(start), _timestamp(end)
    if a is None or b is None or a == b or precision in ("month", "year"):
        return date(start if a is not None else end, lang, precision)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{date(b, lang)}"
    return f"{date(a, lang)} – {date(b, lang)}"


def month_year(start: Any, end: Any, lang: str = "en") -> str:
    """'April 2018' / 'abril de 2018', or 'March–May 2018' / 'marzo–mayo de 2018' for a span of months."""
    a, b = _timestamp(start), _timestamp(end)
    if a is None or b is None:
        return label("unknown", lang)
    names = MONTHS_LONG[check_lang(lang)]
    sep = " de " if lang == "es" else " "
    if (a.year, a.month) == (b.year, b.month):
        return f"{names[a.month - 1]}{sep}{a.year}"
    if a.year == b.year:
        return f"{names[a.month - 1]}–{names[b.month - 1]}{sep}{a.year}"
    return f"{names[a.month - 1]}{sep}{a.year} – {names[b.month - 1]}{sep}{b.year}"


def vega_date(lang: str = "en", field: str = "datum.value", year: bool = False) -> str:
    """A Vega expression writing ``field`` as '22 Apr' (or 'Apr 2018' with ``year``) in ``lang``, in UTC."""
    months = "[" + ",".join(f"'{m}'" for m in MONTHS[check_lang(lang)]) + "]"
    if year:
        return f"{months}[utcmonth({field})] + ' ' + utcyear({field})"
    return f"utcdate({field}) + ' ' + {months}[utcmonth({field})]"


def number(value: Any, lang: str = "en") -> str:
    """An integer with thousands separators ('1,500' / '1.500'), 'unknown' for a missing value."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return label("unknown", lang)
    text_ = f"{value:,.1f}" if isinstance(value, float) and not value.is_integer() else f"{int(value):,}"
    if lang == "es":  # Spanish groups thousands with '.', decimals with ',' (as the charts' es-ES number locale)
        text_ = text_.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text_


def name(case: Any, table: str, key: str, lang: str = "en") -> str:
    """The name of an actor, place or movement in ``lang`` ('unknown' for a missing id)."""
    if key is None or (not isinstance(key, str) and pd.isna(key)) or key == "":
        return label("unknown", lang)
    df = {"actors": case.actors, "places": case.places, "movements": case.movements}[table]
    idcol = {"actors": "actor_id", "places": "place_id", "movements": "movement_id"}[table]
    col = f"label_{lang}" if table == "movements" else f"name_{lang}"
    hit = df.loc[df[idcol] == key, col]
    return str(hit.iloc[0]) if len(hit) else str(key)
