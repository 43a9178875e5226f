"""The model built from data/ holds every figure of the 2025 source report."""

from decimal import Decimal


def test_sections_follow_the_source_order(report_2025):
    edition = report_2025.edition(2025)
    assert edition.anio == 2025
    assert [s.titulo for s in edition.sections] == [
        "Resumen",
        "Avances de los acuerdos transversales",
        "Modelo de gestión",
        "Plan comunicacional",
        "Avances de los proyectos estratégicos",
        "Varios",
    ]
    assert edition.idioma == "es-CL"


def test_nineteen_declared_agreements_and_eighteen_named(report_2025):
    data = report_2025.edition(2025).data
    declared = {d.id: d.acuerdos_declarados for d in data.dimensiones}
    assert declared == {"ambiental": 7, "social": 5, "economica": 4, "institucional": 3}
    assert sum(declared.values()) == 19
    named = {dim: sum(1 for a in data.acuerdos if a.dimension == dim) for dim in declared}
    assert named == {"ambiental": 6, "social": 5, "economica": 4, "institucional": 3}


def test_dimension_figures_are_the_reported_ones(report_2025):
    data = report_2025.edition(2025).data
    reported = {d.id: d.avance_reportado for d in data.dimensiones}
    assert reported == {"ambiental": Decimal(47), "social": Decimal(17), "economica": Decimal(11), "institucional": None}


def test_agreement_values_assigned_in_source_order_and_blanks_kept(report_2025):
    data = report_2025.edition(2025).data
    by_dim = {}
    for a in data.acuerdos:
        by_dim.setdefault(a.dimension, []).append(a.avance)
    assert by_dim["ambiental"] == [60, 51, 33, 50, 62, 36]
    assert by_dim["social"] == [25, 31, 12, 17, None]
    assert by_dim["economica"] == [5, 17, 24, None]
    assert by_dim["institucional"] == [17, None, None]
    for a in data.acuerdos:
        assert (a.origen_avance == "asignado por orden en la fuente") == (a.avance is not None)


def test_objectives_with_short_and_medium_term_initiatives(report_2025):
    data = report_2025.edition(2025).data
    assert [o.id for o in data.objetivos] == ["OE1", "OE2", "OE3", "OE4", "OE5"]
    counts = {(i.objetivo, i.plazo): 0 for i in data.iniciativas}
    for i in data.iniciativas:
        counts[(i.objetivo, i.plazo)] += 1
    assert counts == {
        ("OE1", "corto"): 4, ("OE1", "mediano"): 4,
        ("OE2", "corto"): 3, ("OE2", "mediano"): 3,
        ("OE3", "corto"): 4, ("OE3", "mediano"): 5,
        ("OE4", "corto"): 3, ("OE4", "mediano"): 3,
        ("OE5", "corto"): 6, ("OE5", "mediano"): 3,
    }
    oe5 = " ".join(i.iniciativa for i in data.iniciativas if i.objetivo == "OE5")
    assert "siglo XXI" in oe5


def test_three_projects_stages_and_the_two_amounts_with_their_unit(report_2025):
    data = report_2025.edition(2025).data
    assert [p.id for p in data.proyectos] == ["5.1", "5.2", "5.3"]
    p53 = data.get("proyectos", "5.3")
    assert (p53.diferencia_min_meses, p53.diferencia_max_meses) == (12, 18)
    routes = {v: [s.orden for s in data.etapas_proyecto if s.via == v] for v in ("pública", "privada")}
    assert routes == {"pública": [1, 2, 3, 4, 5], "privada": [1, 2, 3, 4]}
    amounts = {(a.monto, a.unidad) for a in data.montos if a.proyecto == "5.3"}
    assert amounts == {(Decimal(4222529), "miles de pesos"), (Decimal(176306356), "miles de pesos")}


def test_meetings_belong_to_2025(report_2025):
    data = report_2025.edition(2025).data
    dated = [(m.fecha_inicio.isoformat(), m.fecha_fin.isoformat() if m.fecha_fin else None)
             for m in data.hitos if m.fecha_inicio]
    assert dated == [("2025-04-11", None), ("2025-06-16", "2025-06-18")]
    assert any(m.fecha_inicio is None for m in data.hitos)


def test_model_is_immutable(report_2025):
    import dataclasses

    import pytest

    agreement = report_2025.edition(2025).data.acuerdos[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        agreement.avance = 99
