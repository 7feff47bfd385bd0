package domain

import (
	"slices"
	"testing"
)

// TestMissionTransitions tries every status against every other: a move is
// allowed exactly when the table lists it and the team allows it.
func TestMissionTransitions(t *testing.T) {
	t.Parallel()
	full := func(s MissionStatus) Mission {
		return Mission{Sequence: 4, Status: s, Slots: []Slot{{Count: 2, Filled: 2}}, CancelReason: "the host postponed"}
	}
	allowed := map[[2]MissionStatus]bool{
		{MissionDraft, MissionRecruiting}: true, {MissionDraft, MissionCancelled}: true,
		{MissionRecruiting, MissionFormed}: true, {MissionRecruiting, MissionDraft}: true, {MissionRecruiting, MissionCancelled}: true,
		{MissionFormed, MissionDeployed}: true, {MissionFormed, MissionRecruiting}: true, {MissionFormed, MissionCancelled}: true,
		{MissionDeployed, MissionReturned}: true,
	}
	for _, from := range MissionStatuses {
		for _, to := range MissionStatuses {
			m := full(from)
			err := m.Transition(to, 1)
			want := from == to || allowed[[2]MissionStatus{from, to}]
			if (err == nil) != want {
				t.Errorf("%s -> %s: %v, want allowed %v", from, to, err, want)
			}
			if err != nil && ErrorCode(err) != ECONFLICT {
				t.Errorf("%s -> %s: refused with %s, want conflict", from, to, ErrorCode(err))
			}
		}
	}
	// Formed needs the places filled or a reason, and one leader.
	short := Mission{Status: MissionRecruiting, Slots: []Slot{{Count: 2, Filled: 1}}}
	if err := short.Transition(MissionFormed, 1); ErrorCode(err) != ECONFLICT || err.(*Error).Fields[0].Field != "short_staffed" {
		t.Errorf("formed one short without a reason: %v", err)
	}
	short.ShortStaffed = "the second follows in March"
	if err := short.Transition(MissionFormed, 1); err != nil {
		t.Errorf("formed short-staffed with a reason: %v", err)
	}
	if err := short.Transition(MissionFormed, 0); ErrorCode(err) != ECONFLICT || err.(*Error).Msg.ID != MsgNoLeader {
		t.Errorf("formed without a leader: %v", err)
	}
	if err := (&Mission{Status: MissionDraft}).Transition(MissionCancelled, 0); ErrorCode(err) != EINVALID {
		t.Errorf("cancelled without a reason: %v", err)
	}
	for _, s := range MissionStatuses {
		if s.DatesFixed() != (s == MissionDeployed || s == MissionReturned) {
			t.Errorf("%s: dates fixed %v", s, s.DatesFixed())
		}
	}
}

// TestApplicationStages tries every stage against every other: a move is
// allowed exactly when a step leads there, the decision only after the
// screening, and the end stages lead nowhere.
func TestApplicationStages(t *testing.T) {
	t.Parallel()
	allowed := map[[2]ApplicationStage]bool{
		{StageRegistered, StagePassed}: true, {StageRegistered, StageFailed}: true, {StageRegistered, StageWithdrawn}: true,
		{StagePassed, StageSelected}: true, {StagePassed, StageReserve}: true, {StagePassed, StageRejected}: true, {StagePassed, StageWithdrawn}: true,
		{StageReserve, StageSelected}: true, {StageReserve, StageRejected}: true, {StageReserve, StageWithdrawn}: true,
	}
	for _, from := range ApplicationStages {
		for _, to := range ApplicationStages {
			err := from.Move(to)
			if want := allowed[[2]ApplicationStage{from, to}]; (err == nil) != want {
				t.Errorf("%s -> %s: %v, want allowed %v", from, to, err, want)
			}
		}
	}
	if err := StageRegistered.Move(StageSelected); err.(*Error).Msg.ID != MsgNotScreened {
		t.Errorf("a decision before the screening: %v, want not_screened", err)
	}
	for _, end := range []ApplicationStage{StageFailed, StageSelected, StageRejected, StageWithdrawn} {
		for _, step := range []Step{StepScreen, StepDecide, StepWithdraw} {
			if len(end.Outcomes(step)) > 0 {
				t.Errorf("%s leads on by %s", end, step)
			}
		}
	}
	// Each step's outcomes are the stages that name it as their step.
	for from, steps := range StageSteps {
		for step, outs := range steps {
			for _, to := range outs {
				if StepOf(to) != step {
					t.Errorf("%s -> %s by %s, but StepOf says %s", from, to, step, StepOf(to))
				}
			}
		}
	}
	if !slices.Contains(StagePassed.Outcomes(StepDecide), StageReserve) {
		t.Error("a passed application cannot go to the reserve")
	}
}

func TestSlotRequirements(t *testing.T) {
	t.Parallel()
	departure := Date{Year: 2030, Month: 3, Day: 1}
	s := Slot{Specialty: "Cardiology", Languages: []string{"fr"}, MinTitle: "attending", MaxAge: 45}
	p := Person{Specialty: " cardiology ", Languages: []string{"zh", "FR"}, TitleRank: "chief", BirthDate: Date{Year: 1985, Month: 3, Day: 1}}
	if ps := s.Meets(p, departure, "slot_id"); len(ps) != 0 || !s.Fits(p, departure) {
		t.Errorf("a fitting person: %v", ps)
	}
	p.BirthDate = Date{Year: 1985, Month: 2, Day: 28} // a day older: still 45 on departure, within the limit
	if !s.Fits(p, departure) {
		t.Error("45 on departure is within 45")
	}
	p.BirthDate = Date{Year: 1984, Month: 3, Day: 1}
	old := p
	old.TitleRank, old.Languages = "resident", []string{"zh"}
	ps := s.Meets(old, departure, "slot_id")
	var ids []MsgID
	for _, fe := range ps {
		ids = append(ids, fe.Code)
	}
	if !slices.Equal(ids, []MsgID{MsgLacksLanguage, MsgTitleTooLow, MsgTooOld}) || s.Fits(old, departure) {
		t.Errorf("what fails: %v", ids)
	}
	if s.Fits(Person{Specialty: "Cardiology", Languages: []string{"fr"}, TitleRank: "chief"}, departure) {
		t.Error("an age limit fits someone whose birth date is not known")
	}
	if !TitleRank("").AtLeast("") || TitleRank("").AtLeast("resident") || !TitleRank("chief").AtLeast("attending") {
		t.Error("title ranks do not order")
	}
}
