"""Generates sigv4-botocore.json: SigV4 signatures computed by botocore, to check the
SDK's own signer against (crates/infisical-credentials/src/methods/sigv4.rs).

    pip install botocore
    python3 generate.py > sigv4-botocore.json

Each case is the sts:GetCallerIdentity POST that AWS IAM auth builds (plus AWS's
"get-vanilla" request), signed by botocore's SigV4Auth at a fixed time with the example
credentials of AWS's SigV4 test suite. The keys are examples, not real credentials.
"""

import datetime
import json
from unittest import mock

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
BODY = "Action=GetCallerIdentity&Version=2011-06-15"
FORM = "application/x-www-form-urlencoded; charset=utf-8"


def sign(method, url, headers, body, region, service, token, when):
    request = AWSRequest(method=method, url=url, data=body, headers=headers)
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, token)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
        botocore.auth.SigV4Auth(credentials, service, region).add_auth(request)
    return {k: v for k, v in request.headers.items()}


def case(name, region, token, when, method="POST", service="sts", host=None, body=BODY):
    host = host or f"sts.{region}.amazonaws.com"
    headers = {"Host": host}
    if method == "POST":
        headers["Content-Type"] = FORM
    signed = sign(method, f"https://{host}/", headers, body, region, service, token, when)
    return {
        "name": name,
        "method": method,
        "host": host,
        "region": region,
        "service": service,
        "body": body,
        "session_token": token,
        "unix_time": int(when.replace(tzinfo=datetime.timezone.utc).timestamp()),
        "amz_date": signed["X-Amz-Date"],
        "authorization": signed["Authorization"],
    }


def main():
    vanilla = datetime.datetime(2015, 8, 30, 12, 36, 0)
    later = datetime.datetime(2024, 2, 29, 23, 59, 58)
    cases = [
        case("get-vanilla", "us-east-1", None, vanilla, method="GET", service="service",
             host="example.amazonaws.com", body=""),
        case("sts-us-east-1", "us-east-1", None, vanilla),
        case("sts-eu-west-3-session-token", "eu-west-3",
             "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJIMEYCIQ+session/token==", later),
        case("sts-ap-southeast-2", "ap-southeast-2", None, later),
    ]
    print(json.dumps({
        "generator": f"botocore {botocore.__version__} SigV4Auth (generate.py)",
        "access_key_id": ACCESS_KEY,
        "secret_access_key": SECRET_KEY,
        "cases": cases,
    }, indent=2))


main()
