"""Example (not installed or run by this repository): Valetkey as LangChain tools.

Needs:  pip install valetkey langchain-core langchain-openai

Two tools for a support agent. ``invoice_total`` lets Valetkey fill the billing API key into the
request (``use``): neither the model nor this process ever sees the key. ``bank_username`` reads a
low-risk value directly. Every call carries a reason, shown to the person and kept in the audit
log; a vault that asks first makes the tool wait for the person's click.
"""
import json

from langchain_core.tools import tool
from langchain_openai import ChatOpenAI

from valetkey import ApprovalDeniedError, Valetkey, ValetkeyError

# Enroll with the code from the app (or VALETKEY_ENROLL_CODE); revoked when the interpreter exits.
vk = Valetkey.connect(reason="answer billing questions from the support chat", name="billing-assistant")


@tool
def invoice_total(invoice: str) -> str:
    """Look up the total of an invoice (INV-<number>) in the billing system."""
    try:
        res = vk.use(
            {
                "method": "GET",
                "url": f"https://billing.example.com/v1/invoices/{invoice}",
                "headers": {"Authorization": "Bearer {{vk://Accounting/Billing API/api_key}}"},
            },
            reason=f"support chat asked for the total of {invoice}",
        )
    except ApprovalDeniedError:
        return "The account owner declined this lookup."
    except ValetkeyError as e:
        return f"Valetkey refused ({e.code})."
    if res["status"] != 200:
        return f"Billing answered {res['status']}."
    data = json.loads(res["body"])
    return f"{invoice}: {data['total']} {data['currency']}"


@tool
def bank_username() -> str:
    """The username of the company's bank login (not the password)."""
    return vk.read("vk://Accounting/Bank/username", reason="the user asked which bank login we use")


if __name__ == "__main__":
    llm = ChatOpenAI(model="gpt-4.1-mini").bind_tools([invoice_total, bank_username])
    reply = llm.invoke("What is the total of invoice INV-1042?")
    for call in reply.tool_calls:
        print(call["name"], {"invoice_total": invoice_total, "bank_username": bank_username}[call["name"]].invoke(call["args"]))
    vk.close()
