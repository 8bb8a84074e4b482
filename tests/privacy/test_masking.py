"""How numbers are masked: one helper for a phone field, one for phone numbers inside free text."""

from __future__ import annotations

import pytest

from congress.privacy import mask_phone, mask_phones_in_text
from liaison_stations.services.issues import mask_phone as issues_mask_phone


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13907370044", "139****0044"),
        ("0737-4200001", "073****0001"),
        ("+8613907370044", "+86****0044"),
        ("123456", "****"),  # too short to keep anything
        ("", ""),
        (None, ""),
    ],
)
def test_a_phone_field_is_masked_to_its_first_three_and_last_four(phone, masked):
    assert mask_phone(phone) == masked
    assert issues_mask_phone(phone or "") == masked  # the loop's helper is the same rule


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("请打我电话13907370044联系", "请打我电话139****0044联系"),
        ("手机：+86 13907370044。", "手机：+86****0044。"),
        ("+8613907370044", "+86****0044"),
        ("办公室0737-4200001，传真07374200002", "办公室073****0001，传真073****0002"),
        ("两个号码13907370044、13607370066", "两个号码139****0044、136****0066"),
        # not phone numbers: left alone
        ("涉及金额120000000000元", "涉及金额120000000000元"),
        ("身份证号430902199001011234", "身份证号430902199001011234"),
        ("2026-11-26 提交，编号K7M2Q9RT4XPA", "2026-11-26 提交，编号K7M2Q9RT4XPA"),
        ("热线12345", "热线12345"),
        ("", ""),
        (None, ""),
    ],
)
def test_phone_numbers_in_free_text_are_masked(text, masked):
    assert mask_phones_in_text(text) == masked
