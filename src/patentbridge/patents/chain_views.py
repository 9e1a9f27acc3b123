"""The operators' industry-chain configuration page."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from patentbridge.accounts import policies
from patentbridge.patents import services
from patentbridge.patents.classification import chain_config
from patentbridge.patents.models import IndustryChain


@login_required
def chains(request: HttpRequest) -> HttpResponse:
    """View (everyone who may configure) and replace the chain configuration as JSON."""
    policies.require(request.user, "classify.configure")
    text = json.dumps(chain_config(), ensure_ascii=False, indent=2)
    if request.method == "POST":
        text = request.POST.get("config", "")
        try:
            config = json.loads(text)
            if not isinstance(config, dict):
                raise ValidationError('配置应为 JSON 对象：{"chains": [...]}')
            count = services.save_chains(actor=request.user, config=config)
        except json.JSONDecodeError as exc:
            messages.error(request, f"JSON 格式错误：第 {exc.lineno} 行 {exc.msg}")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已保存 {count} 条产业链，正在后台重新分类全部专利")
            return redirect("patents:chains")
    return render(
        request, "patents/chains.html", {"chains": IndustryChain.objects.all(), "config_text": text}
    )
